package io.kvmj.bench.disk;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;

/**
 * One pwrite(2) per operation on a preallocated file, through the project's FFI, with the open flags and
 * flush policy of a QEMU cache mode. Throughput mode: ops/s = IOPS. The file comes from the system
 * property {@value #FILE_PROPERTY} (prepared by {@link HostDiskSuite}).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Thread)
public class HostDiskBenchmark {

    static final String FILE_PROPERTY = "kvmj.bench.disk.file";
    /** When set, fio runs before every iteration and appends its result (one JSON line) to this file. */
    static final String FIO_OUT_PROPERTY = "kvmj.bench.disk.fio.out";
    /** Seconds each interleaved fio run lasts (normally the JMH iteration time). */
    static final String FIO_SECONDS_PROPERTY = "kvmj.bench.disk.fio.seconds";

    @Param({"WRITEBACK", "NONE", "WRITETHROUGH", "DIRECTSYNC", "UNSAFE"})
    public CacheMode mode;

    @Param({"RAND4K", "SEQ1M"})
    public WritePattern pattern;

    private PosixIo io;
    private int fd = -1;
    private long buffer;
    private int blockSize;
    private long blocks;
    private long next;
    private long seed = 0x9E3779B97F4A7C15L;
    private int sinceFlush;
    private String file;

    @Setup(Level.Trial)
    public void open() throws Exception {
        file = System.getProperty(FILE_PROPERTY);
        if (file == null || !Files.isRegularFile(Path.of(file))) {
            throw new IllegalStateException("system property " + FILE_PROPERTY
                    + " must name a preallocated test file (HostDiskSuite prepares it), got " + file);
        }
        io = PosixIos.get();
        blockSize = pattern.blockSize();
        blocks = Files.size(Path.of(file)) / blockSize;
        fd = io.open(file, mode.openFlags(), 0);
        if (fd < 0) {
            throw new IllegalStateException("open " + file + " with " + mode.describe() + " failed, errno " + io.errno());
        }
        buffer = io.mmapAnonymous(blockSize);
        byte[] data = new byte[blockSize];
        new Random(42).nextBytes(data);
        io.poke(buffer, data);
    }

    /**
     * The same-run ceiling, interleaved: fio with the same flags on the same file right before each JMH
     * measurement iteration, so both see the same (shared, noisy) disk. Runs outside the measured time.
     */
    @Setup(Level.Iteration)
    public void fioBeforeIteration(IterationParams ip) throws Exception {
        String outFile = System.getProperty(FIO_OUT_PROPERTY);
        if (outFile == null || ip.getType() != IterationType.MEASUREMENT) {
            return;
        }
        if (fd >= 0) {
            io.fdatasync(fd);
        }
        int seconds = Integer.getInteger(FIO_SECONDS_PROPERTY, 1);
        FioResult r = FioRunner.run(FioRunner.argv(Path.of(file), Files.size(Path.of(file)), mode, pattern, 0, seconds));
        String line = FioResult.toJsonLine(r) + "\n";
        Files.writeString(Path.of(outFile), line, java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.APPEND);
    }

    @TearDown(Level.Trial)
    public void close() {
        if (fd >= 0) {
            io.fdatasync(fd);
            io.close(fd);
        }
        if (buffer != 0) {
            io.munmap(buffer, blockSize);
        }
    }

    /** One write of {@code pattern.blockSize()} bytes (plus fdatasync every 32 writes in writeback mode). */
    @Benchmark
    public long write() {
        long block;
        if (pattern.random()) {
            seed ^= seed << 13;
            seed ^= seed >>> 7;
            seed ^= seed << 17;
            block = Math.floorMod(seed, blocks);
        } else {
            block = next;
            next = next + 1 == blocks ? 0 : next + 1;
        }
        long n = io.pwrite(fd, buffer, blockSize, block * blockSize);
        if (n != blockSize) {
            throw new IllegalStateException("pwrite returned " + n + ", errno " + io.errno());
        }
        if (mode.flushes() && ++sinceFlush == CacheMode.FLUSH_EVERY) {
            sinceFlush = 0;
            if (io.fdatasync(fd) != 0) {
                throw new IllegalStateException("fdatasync failed, errno " + io.errno());
            }
        }
        return n;
    }
}
