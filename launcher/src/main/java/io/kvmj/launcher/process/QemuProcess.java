package io.kvmj.launcher.process;

import io.kvmj.core.qemu.ShellQuote;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One spawned QEMU process, with its stdout+stderr going to a log file.
 *
 * <p><b>No orphans.</b> Attached processes are started as
 * {@code setpriv --pdeathsig KILL -- setsid -- qemu-system-... }, from {@link ProcessSpawner}'s long-lived
 * thread: the kernel SIGKILLs QEMU when that thread (and thus the JVM) dies, even on SIGKILL of the JVM;
 * {@link ProcessReaper}'s shutdown hook stops it gracefully on a normal exit. {@code setsid} puts QEMU in its
 * own session, so a terminal Ctrl-C reaches only the JVM (which then shuts the guest down) and not QEMU.
 * Both tools exec (no fork), so {@link #pid()} is QEMU's pid. Limits: the parent-death signal is cleared if
 * QEMU were to exec a set-uid binary (it does not); without setpriv only the shutdown hook remains (a warning
 * is logged); a detached process ({@link OrphanProtection#DETACHED}) is deliberately not tied to the JVM.
 *
 * <p>Thread-safe: all methods may be called from any thread.
 */
public final class QemuProcess {
    private static final Logger LOG = LoggerFactory.getLogger(QemuProcess.class);
    private static volatile boolean warnedNoSetpriv;

    private final Process process;
    private final List<String> argv;
    private final List<String> spawnedArgv;
    private final Path logFile;
    private final OrphanProtection protection;

    private QemuProcess(Process process, List<String> argv, List<String> spawnedArgv, Path logFile,
                        OrphanProtection protection) {
        this.process = process;
        this.argv = argv;
        this.spawnedArgv = spawnedArgv;
        this.logFile = logFile;
        this.protection = protection;
    }

    /**
     * Spawns {@code argv} (argv[0] = the QEMU binary) with stdin from /dev/null and stdout+stderr appended
     * to {@code logFile}.
     *
     * @param detached true to let QEMU outlive this JVM (no parent-death signal, no shutdown hook)
     * @throws QemuStartException when the binary cannot be executed
     */
    public static QemuProcess start(List<String> argv, Path logFile, boolean detached, Duration timeout) {
        if (argv.isEmpty() || Executables.find(argv.get(0)).isEmpty()) {
            throw new QemuStartException("QEMU binary not found or not executable: "
                    + (argv.isEmpty() ? "(empty argv)" : argv.get(0)), argv, null);
        }
        List<String> cmd = new ArrayList<>();
        OrphanProtection protection;
        if (detached) {
            protection = OrphanProtection.DETACHED;
        } else {
            Optional<Path> setpriv = Executables.find("setpriv");
            if (setpriv.isPresent()) {
                cmd.addAll(List.of(setpriv.get().toString(), "--pdeathsig", "KILL", "--"));
                protection = OrphanProtection.PDEATHSIG;
            } else {
                if (!warnedNoSetpriv) {
                    warnedNoSetpriv = true;
                    LOG.warn("setpriv (util-linux) not found: QEMU will be stopped on normal JVM exit only, "
                            + "a SIGKILLed JVM would leave QEMU running");
                }
                protection = OrphanProtection.SHUTDOWN_HOOK_ONLY;
            }
        }
        Executables.find("setsid").ifPresent(p -> cmd.addAll(List.of(p.toString(), "--")));
        cmd.addAll(argv);
        ProcessBuilder pb = new ProcessBuilder(cmd)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
        Process p;
        try {
            p = ProcessSpawner.start(pb, timeout);
        } catch (IOException e) {
            throw new QemuStartException("cannot execute " + argv.get(0) + ": " + e.getMessage(), argv, e);
        }
        if (!detached) {
            ProcessReaper.register(p);
        }
        LOG.debug("spawned QEMU pid {} ({}): {}", p.pid(), protection, ShellQuote.join(cmd));
        return new QemuProcess(p, List.copyOf(argv), List.copyOf(cmd), logFile, protection);
    }

    /** QEMU's pid. */
    public long pid() {
        return process.pid();
    }

    /** The QEMU argv, without the setpriv/setsid prefix. */
    public List<String> argv() {
        return argv;
    }

    /** What was actually executed, including the setpriv/setsid prefix. */
    public List<String> spawnedArgv() {
        return spawnedArgv;
    }

    /** How this process is tied to the JVM. */
    public OrphanProtection protection() {
        return protection;
    }

    /** The file receiving QEMU's stdout and stderr. */
    public Path logFile() {
        return logFile;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** The exit code if QEMU has exited (128+N when killed by signal N). */
    public OptionalInt exitCode() {
        return process.isAlive() ? OptionalInt.empty() : OptionalInt.of(process.exitValue());
    }

    /** Completes with the exit code when QEMU exits. */
    public CompletableFuture<Integer> onExit() {
        return process.onExit().thenApply(Process::exitValue);
    }

    /** Waits at most {@code timeout} for QEMU to exit; returns its exit code or empty if still running. */
    public OptionalInt waitFor(Duration timeout) {
        try {
            if (process.waitFor(Math.max(0, timeout.toMillis()), TimeUnit.MILLISECONDS)) {
                return OptionalInt.of(process.exitValue());
            }
            return OptionalInt.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return exitCode();
        }
    }

    /** Sends SIGTERM and waits at most {@code timeout}; true when QEMU has exited. */
    public boolean terminate(Duration timeout) {
        process.destroy();
        return waitFor(timeout).isPresent();
    }

    /** Sends SIGKILL and waits at most {@code timeout}; true when QEMU has exited. */
    public boolean kill(Duration timeout) {
        process.destroyForcibly();
        return waitFor(timeout).isPresent();
    }

    /** The last lines of QEMU's stdout/stderr. */
    public String stderrTail() {
        return FileTail.of(logFile);
    }

    @Override
    public String toString() {
        return "QemuProcess[pid=" + pid() + ", " + protection + "]";
    }
}
