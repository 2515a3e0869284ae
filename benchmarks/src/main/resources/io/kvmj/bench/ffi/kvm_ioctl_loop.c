/*
 * Raw C baseline for the kvmj FFI benchmark: N ioctl(KVM_CHECK_EXTENSION) calls on /dev/kvm, timed with
 * clock_gettime(CLOCK_MONOTONIC). Built two ways from this one file:
 *
 *   gcc -O2 -o kvm_ioctl_loop kvm_ioctl_loop.c
 *       a program; prints one line per repetition:
 *         rep=<i> calls=<n> ns_per_call=<x> result=<ioctl return>
 *       usage: kvm_ioctl_loop CALLS REPETITIONS CAPABILITY
 *
 *   gcc -O2 -shared -fPIC -DKVMJ_LIBRARY -o libkvm_ioctl_loop.so kvm_ioctl_loop.c
 *       a library exporting kvmj_ioctl_loop(), which the benchmark JVM calls once per batch, so the loop
 *       runs on the benchmark's own thread, in its own process, on its own /dev/kvm descriptor.
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

/*
 * Runs `calls` ioctls on `fd` and returns the nanoseconds they took, or -1 if the last one failed
 * (*result receives the last return value when result is not NULL).
 */
long kvmj_ioctl_loop(int fd, long calls, long cap, int *result) {
    volatile int sink = 0;
    int last = 0;
    double t0 = now_ns();
    for (long i = 0; i < calls; i++) {
        last = ioctl(fd, KVM_CHECK_EXTENSION, cap);
        sink += last;
    }
    double t1 = now_ns();
    if (result != NULL) {
        *result = last;
    }
    return last < 0 ? -1 : (long) (t1 - t0);
}

#ifndef KVMJ_LIBRARY
int main(int argc, char **argv) {
    long calls = argc > 1 ? atol(argv[1]) : 1000000L;
    int reps = argc > 2 ? atoi(argv[2]) : 5;
    long cap = argc > 3 ? atol(argv[3]) : KVM_CAP_USER_MEMORY;
    int fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);
    if (fd < 0) {
        perror("open /dev/kvm");
        return 2;
    }
    int last = 0;
    kvmj_ioctl_loop(fd, calls / 10, cap, NULL);      /* warm-up */
    for (int r = 0; r < reps; r++) {
        long ns = kvmj_ioctl_loop(fd, calls, cap, &last);
        if (ns < 0) {
            perror("ioctl KVM_CHECK_EXTENSION");
            return 1;
        }
        printf("rep=%d calls=%ld ns_per_call=%.2f result=%d\n", r, calls, (double) ns / (double) calls, last);
        fflush(stdout);
    }
    close(fd);
    return 0;
}
#endif
