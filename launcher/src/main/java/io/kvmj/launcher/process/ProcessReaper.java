package io.kvmj.launcher.process;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A JVM shutdown hook that stops every attached (non-detached) QEMU process still running when the JVM
 * exits normally (end of main, System.exit, SIGINT, SIGTERM): SIGTERM (QEMU then exits cleanly, flushing
 * its disks), up to 3 s, then SIGKILL. SIGKILL of the JVM is covered by the parent-death signal instead.
 */
public final class ProcessReaper {
    private static final Logger LOG = LoggerFactory.getLogger(ProcessReaper.class);
    private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();
    private static final Duration GRACE = Duration.ofSeconds(3);

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(ProcessReaper::reapAll, "kvmj-reaper"));
    }

    private ProcessReaper() {}

    /** Registers a process to be stopped on JVM exit; unregisters itself when the process ends. */
    public static void register(Process p) {
        LIVE.add(p);
        p.onExit().thenRun(() -> LIVE.remove(p));
    }

    /** Number of registered processes still alive (for diagnostics and tests). */
    public static int liveCount() {
        return (int) LIVE.stream().filter(Process::isAlive).count();
    }

    private static void reapAll() {
        if (LIVE.isEmpty()) {
            return;
        }
        for (Process p : LIVE) {
            if (p.isAlive()) {
                LOG.info("JVM exiting: stopping QEMU pid {}", p.pid());
                p.destroy();
            }
        }
        long deadline = System.nanoTime() + GRACE.toNanos();
        for (Process p : LIVE) {
            try {
                long left = deadline - System.nanoTime();
                if (left <= 0 || !p.waitFor(left, TimeUnit.NANOSECONDS)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
            }
        }
    }
}
