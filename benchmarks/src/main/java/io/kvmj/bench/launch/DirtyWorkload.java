package io.kvmj.bench.launch;

import io.kvmj.qga.QgaClient;
import io.kvmj.qga.model.GuestExecRequest;
import io.kvmj.qga.model.GuestExecResult;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The memory-dirtying workload of the migration figures, run in the Debian guest through its agent: it fills a
 * {@value #MIB} MiB file in {@code /dev/shm} (tmpfs, so guest RAM) with random bytes once, then copies it over a
 * second {@value #MIB} MiB tmpfs file in place ({@code dd conv=notrunc}) in an endless loop, counting passes in
 * {@code /dev/shm/passes}. The same {@value #MIB} MiB of guest pages are rewritten with non-zero data over and over
 * (QEMU cannot send them as zero pages), steadily, until the guest is killed.
 *
 * <pre>{@code
 * try (QgaClient agent = QgaClient.open(agentSocket)) {
 *     DirtyWorkload.start(agent);
 *     double mibPerSecond = DirtyWorkload.rate(agent, Duration.ofSeconds(5));
 * }
 * }</pre>
 */
final class DirtyWorkload {
    static final int MIB = 64;
    private static final Duration CALL = Duration.ofSeconds(120);
    private static final String SCRIPT = "head -c " + MIB + "M /dev/urandom > /dev/shm/src; n=0; while :; do "
            + "dd if=/dev/shm/src of=/dev/shm/dirty bs=1M conv=notrunc 2>/dev/null; n=$((n+1)); "
            + "echo $n > /dev/shm/passes; done";

    private DirtyWorkload() {
    }

    /** Starts the loop in the guest (a background process of the agent); returns once its first pass is done. */
    static void start(QgaClient agent) {
        agent.execStart(GuestExecRequest.builder("/bin/sh", "-c", SCRIPT).captureOutput(false).build());
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (passes(agent) < 1) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the dirtying loop did not complete a pass within 3 minutes");
            }
            sleep(500);
        }
    }

    /** Passes completed so far (0 before the first). */
    static long passes(QgaClient agent) {
        GuestExecResult r = agent.exec(List.of("/bin/sh", "-c", "cat /dev/shm/passes 2>/dev/null || echo 0"), CALL);
        String s = r.stdoutText().trim();
        return s.isEmpty() ? 0 : Long.parseLong(s);
    }

    /** MiB the loop rewrites per second, measured over {@code window}. */
    static double rate(QgaClient agent, Duration window) {
        long t0 = System.nanoTime();
        long p0 = passes(agent);
        sleep(window.toMillis());
        long p1 = passes(agent);
        double s = (System.nanoTime() - t0) / 1e9;
        return (p1 - p0) * (double) MIB / s;
    }

    /** The agent socket of a bare QEMU started from kvmj's argv rewritten into {@code scratch}. */
    static Path rawAgentSocket(Path scratch) {
        return scratch.resolve("qga.sock");
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
