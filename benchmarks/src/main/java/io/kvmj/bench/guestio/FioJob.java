package io.kvmj.bench.guestio;

import java.util.ArrayList;
import java.util.List;

/**
 * One fio workload run the same way in the guest and on the host.
 *
 * @param name      short name, e.g. {@code 4k-randread}
 * @param rw        fio {@code --rw}
 * @param blockSize fio {@code --bs}
 * @param unit      the figure's unit: {@code IOPS} for small blocks, {@code MB/s} for large ones
 */
public record FioJob(String name, String rw, String blockSize, String unit) {

    /** Queue depth of every job, guest and host alike. */
    public static final int IODEPTH = 4;

    /** The block-device workloads, in run order (sequential write first, so later reads meet written blocks). */
    public static final List<FioJob> DISK_JOBS = List.of(
            new FioJob("1M-write", "write", "1M", "MB/s"),
            new FioJob("4k-randwrite", "randwrite", "4k", "IOPS"),
            new FioJob("4k-randread", "randread", "4k", "IOPS"),
            new FioJob("1M-read", "read", "1M", "MB/s"));

    /** The value of this job's figure from {@code s}. */
    public double value(FioStats s) {
        FioStats.Side side = s.side(rw);
        return unit.equals("IOPS") ? side.iops() : side.mbPerSec();
    }

    /** The flags both sides share: the workload, time-based for {@code seconds}, JSON output. */
    public List<String> common(String jobName, String filename, long sizeBytes, int seconds) {
        List<String> a = new ArrayList<>(List.of("fio", "--name=" + jobName, "--filename=" + filename,
                "--rw=" + rw, "--bs=" + blockSize, "--iodepth=" + IODEPTH, "--numjobs=1", "--norandommap",
                "--randrepeat=0", "--time_based", "--runtime=" + seconds, "--output-format=json"));
        if (sizeBytes > 0) {
            a.add("--size=" + sizeBytes);
        }
        return a;
    }

    /** In the guest on the raw virtio disk: Linux AIO with O_DIRECT, so the guest's page cache is out of the way. */
    public List<String> guestArgv(IoPath path, int seconds) {
        List<String> a = common(path.serial() + "-" + name, path.guestDevice(), 0, seconds);
        a.addAll(List.of("--ioengine=libaio", "--direct=1"));
        return a;
    }

    /** On the host on the disk's image file, with the flags that follow QEMU's path ({@link IoPath#hostFlags()}). */
    public List<String> hostArgv(IoPath path, String file, long sizeBytes, int seconds) {
        List<String> a = common("host-" + path.serial() + "-" + name, file, sizeBytes, seconds);
        a.addAll(path.hostFlags());
        return a;
    }
}
