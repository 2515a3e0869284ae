/*
 * Raw C baseline for the kvmj FFI benchmark: times N ioctl(KVM_CHECK_EXTENSION) calls on /dev/kvm with
 * clock_gettime(CLOCK_MONOTONIC) and prints one line per repetition:
 *   rep=<i> calls=<n> ns_per_call=<x> result=<ioctl return>
 * usage: kvm_ioctl_loop CALLS REPETITIONS CAPABILITY
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>
#include <linux/kvm.h>

static double now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double) ts.tv_sec * 1e9 + (double) ts.tv_nsec;
}

int main(int argc, char **argv) {
    long calls = argc > 1 ? atol(argv[1]) : 1000000L;
    int reps = argc > 2 ? atoi(argv[2]) : 5;
    long cap = argc > 3 ? atol(argv[3]) : KVM_CAP_USER_MEMORY;
    int fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);
    if (fd < 0) {
        perror("open /dev/kvm");
        return 2;
    }
    volatile int sink = 0;
    for (long i = 0; i < calls / 10; i++) {          /* warm-up */
        sink += ioctl(fd, KVM_CHECK_EXTENSION, cap);
    }
    for (int r = 0; r < reps; r++) {
        int last = 0;
        double t0 = now_ns();
        for (long i = 0; i < calls; i++) {
            last = ioctl(fd, KVM_CHECK_EXTENSION, cap);
            sink += last;
        }
        double t1 = now_ns();
        if (last < 0) {
            perror("ioctl KVM_CHECK_EXTENSION");
            return 1;
        }
        printf("rep=%d calls=%ld ns_per_call=%.2f result=%d\n", r, calls, (t1 - t0) / (double) calls, last);
        fflush(stdout);
    }
    close(fd);
    return 0;
}
