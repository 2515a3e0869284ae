package io.kvmj.launcher;

import io.kvmj.core.qemu.ShellQuote;
import io.kvmj.launcher.process.OrphanProtection;
import io.kvmj.launcher.process.QemuProcess;
import io.kvmj.launcher.process.RuntimeDir;
import io.kvmj.qga.QgaClient;
import io.kvmj.qga.QgaClientOptions;
import io.kvmj.qmp.EventWaiter;
import io.kvmj.qmp.QmpEvent;
import io.kvmj.qmp.QmpException;
import io.kvmj.qmp.QmpListener;
import io.kvmj.qmp.QmpMonitor;
import io.kvmj.qmp.command.QueryStatus;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.MatchResult;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running QEMU guest started by {@link Launcher}. Closing it shuts the guest down (ACPI power-down unless the
 * machine has no ACPI, then {@code quit}, SIGTERM, SIGKILL, each bounded) and removes its runtime directory.
 *
 * <p><b>Thread-safety:</b> all methods are thread-safe. Shutdown methods are serialised (a second caller waits
 * for and gets the first caller's result). {@link #awaitConsole} calls are serialised among themselves (they
 * share one cursor). Every blocking method takes a timeout.
 */
public final class Guest implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Guest.class);

    private final String name;
    private final LaunchTimings timings;
    private final RuntimeDir dir;
    private final QemuProcess process;
    private final QmpMonitor qmp;
    private final QmpListener listener;
    private final AcceleratorChoice accelerator;
    private final LaunchOptions options;
    private final ConsoleLog console;
    private final Object shutdownLock = new Object();
    private volatile String shutdownReason;
    private final EventWaiter shutdownWaiter;
    private volatile boolean paused;
    private volatile boolean stopRequested;
    /** Set by {@link #quit()} and {@link #kill()}: a shutdown already waiting for the power-down stops waiting. */
    private volatile boolean hurry;
    private volatile ShutdownResult result;
    private volatile boolean released;
    private ConsoleConnection consoleConnection;

    Guest(String name, RuntimeDir dir, QemuProcess process, QmpMonitor qmp, QmpListener listener,
          AcceleratorChoice accelerator, LaunchOptions options, boolean initiallyPaused, LaunchTimings timings) {
        this.name = name;
        this.timings = timings;
        this.dir = dir;
        this.process = process;
        this.qmp = qmp;
        this.listener = listener;
        this.accelerator = accelerator;
        this.options = options;
        this.paused = initiallyPaused;
        this.console = new ConsoleLog(dir.consoleLog(), process::isAlive);
        // A waiter, not a listener: waiters are matched on the QMP I/O thread in stream order, so once QEMU has
        // exited and the stream reached EOF the SHUTDOWN event (sent just before exit) cannot still be queued.
        this.shutdownWaiter = qmp.awaitEvent("SHUTDOWN", e -> true, Duration.ofDays(3650));
        shutdownWaiter.future().thenAccept(e -> shutdownReason = reasonOf(e));
        qmp.subscribe("STOP", e -> paused = true);
        qmp.subscribe("RESUME", e -> paused = false);
    }

    /** The guest's (unique per user) name. */
    public String name() {
        return name;
    }

    /**
     * Where the time of this guest's launch went (runtime directory, spawn, QEMU until its QMP answers, first
     * {@code query-status}).
     *
     * <pre>{@code
     * LOG.info("{} started: {}", g.name(), g.launchTimings());
     * }</pre>
     */
    public LaunchTimings launchTimings() {
        return timings;
    }

    /** QEMU's pid. */
    public long pid() {
        return process.pid();
    }

    /** The runtime directory (sockets, logs, pidfile). */
    public RuntimeDir runtimeDir() {
        return dir;
    }

    /**
     * Opens a client to the QEMU guest agent in this guest, through the virtio-serial port
     * {@code org.qemu.guest_agent.0} kvmj gives every guest with a PCI bus ({@link RuntimeDir#agentSocket()}).
     * The caller closes it. QEMU serves one agent client at a time: while one is open, others (another process's
     * {@code kvmj agent}, the agent rung of {@link #shutdown}) wait, so keep it open only while needed.
     *
     * <pre>{@code
     * try (QgaClient agent = guest.agent()) {
     *     agent.awaitAgent(Duration.ofMinutes(2));              // the guest may still be booting
     *     GuestExecResult r = agent.exec(List.of("uname", "-r"), Duration.ofSeconds(30));
     * }
     * }</pre>
     *
     * @throws IllegalStateException when the guest has no agent channel (a board without PCI bus, e.g.
     *                               {@code -machine none})
     * @throws io.kvmj.qga.QgaGuestGoneException when QEMU is not running
     */
    public QgaClient agent() {
        return agent(QgaClientOptions.defaults());
    }

    /** {@link #agent()} with client options (timeouts). */
    public QgaClient agent(QgaClientOptions options) {
        Path sock = dir.agentSocket();
        if (!Files.exists(sock) && process.isAlive()) {
            throw new IllegalStateException("guest '" + name + "' has no guest-agent channel (" + sock
                    + " missing: a board without PCI bus?)");
        }
        return QgaClient.open(sock, options);
    }

    /**
     * Opens the agent client and waits until the agent answers (the guest boots, systemd starts qemu-ga).
     *
     * @throws io.kvmj.qga.QgaNotAnsweringException when it does not answer within {@code timeout}
     */
    public QgaClient awaitAgent(Duration timeout) {
        QgaClient c = agent();
        try {
            c.awaitAgent(timeout);
            return c;
        } catch (RuntimeException e) {
            c.close();
            throw e;
        }
    }

    /** The QMP monitor of this guest (owned by the guest: do not close it). */
    public QmpMonitor qmp() {
        return qmp;
    }

    /** The accelerator chosen and why. */
    public AcceleratorChoice accelerator() {
        return accelerator;
    }

    /** How QEMU is tied to this JVM (parent-death signal, shutdown hook only, or detached). */
    public OrphanProtection orphanProtection() {
        return process.protection();
    }

    /** The full QEMU argv. */
    public List<String> argv() {
        return process.argv();
    }

    /** The argv shell-quoted. */
    public String commandLine() {
        return ShellQuote.join(process.argv());
    }

    /** True while QEMU runs. */
    public boolean isAlive() {
        return process.isAlive();
    }

    /** State from QMP events and the process (no I/O). */
    public GuestState state() {
        if (!process.isAlive()) {
            return GuestState.EXITED;
        }
        if (stopRequested || shutdownReason != null) {
            return GuestState.SHUTTING_DOWN;
        }
        return paused ? GuestState.PAUSED : GuestState.RUNNING;
    }

    /** QMP {@code query-status} {@code status} string (e.g. {@code running}, {@code paused}, {@code prelaunch}). */
    public String status(Duration timeout) {
        return qmp.call(new QueryStatus(), timeout).status();
    }

    /** The last lines QEMU wrote to stdout/stderr. */
    public String stderrTail() {
        return process.stderrTail();
    }

    /** The serial console log (file, text, tail, expect-like cursor). */
    public ConsoleLog console() {
        return console;
    }

    /** A stream over the console output from boot on; ends when QEMU has exited and all was read. */
    public InputStream consoleStream() {
        return console.stream();
    }

    /**
     * Waits until the console output after the previous match matches {@code regex}.
     *
     * @throws ConsoleTimeoutException with the console's last lines when {@code timeout} passes
     * @throws GuestExitedException    when QEMU exits first
     */
    public MatchResult awaitConsole(Pattern regex, Duration timeout) {
        Optional<MatchResult> m = console.await(regex, timeout);
        if (m.isPresent()) {
            return m.get();
        }
        if (!process.isAlive()) {
            throw new GuestExitedException("guest '" + name + "' exited before its console matched /" + regex + "/",
                    process.exitCode().isPresent() ? process.exitCode().getAsInt() : null,
                    process.stderrTail() + "\nlast console lines:\n" + console.tail(10));
        }
        throw new ConsoleTimeoutException(name, regex.pattern(), timeout, console.tail(15));
    }

    /** {@link #awaitConsole(Pattern, Duration)} with a regex string. */
    public MatchResult awaitConsole(String regex, Duration timeout) {
        return awaitConsole(Pattern.compile(regex), timeout);
    }

    /**
     * Sends {@code text} to the guest's serial console (as typed; add {@code "\n"} yourself). The first call
     * connects to the console socket (bounded, 5 s); while connected, {@code kvmj console NAME} cannot attach.
     */
    public void send(String text) {
        try {
            connection().send(text);
        } catch (IOException e) {
            throw new GuestException("guest '" + name + "': cannot write to console: " + e.getMessage(), e);
        }
    }

    /** Sends raw bytes to the serial console, as {@link #send(String)} (e.g. what a terminal in raw mode typed). */
    public void send(byte[] bytes) {
        try {
            connection().send(bytes);
        } catch (IOException e) {
            throw new GuestException("guest '" + name + "': cannot write to console: " + e.getMessage(), e);
        }
    }

    private synchronized ConsoleConnection connection() throws IOException {
        if (!options.console()) {
            throw new GuestException("guest '" + name + "' was launched without kvmj's console");
        }
        if (consoleConnection == null || !consoleConnection.isOpen()) {
            consoleConnection = ConsoleConnection.connect(dir.consoleSocket(), Duration.ofSeconds(5), null, name);
        }
        return consoleConnection;
    }

    /**
     * Graceful shutdown: ACPI {@code system_powerdown} and wait up to {@code timeout} for QEMU to exit, then
     * {@code quit}, SIGTERM, SIGKILL (5 s each). The ACPI step is skipped when the vCPUs are not running or the
     * machine has no ACPI ({@code -machine none}, {@code acpi=off}); {@link ShutdownResult#steps()} lists what
     * was sent. Returns how it ended; idempotent.
     */
    public ShutdownResult shutdown(Duration timeout) {
        return stop(timeout, false);
    }

    /** Stops at once: SIGKILL (bounded wait), also while a {@link #shutdown} is in progress. */
    public ShutdownResult kill() {
        hurry = true;
        if (stopRequested && result == null && process.isAlive()) {
            process.kill(Duration.ZERO); // a shutdown in another thread holds the lock: it sees QEMU exit
        }
        synchronized (shutdownLock) {
            if (result == null) {
                stopRequested = true;
                ShutdownResult r = process.isAlive() ? ShutdownSequence.kill(target(), this::shutdownReason)
                        : endedByItself();
                finish(r);
            }
            return result;
        }
    }

    /**
     * Skips the ACPI step: {@code quit}, SIGTERM, SIGKILL. A {@link #shutdown} in progress in another thread (a first
     * Ctrl-C) stops waiting for the power-down at once and goes on with {@code quit}; this returns its result.
     */
    public ShutdownResult quit() {
        hurry = true;
        return stop(Duration.ZERO, true);
    }

    private ShutdownResult stop(Duration timeout, boolean force) {
        synchronized (shutdownLock) {
            if (result == null) {
                if (!process.isAlive()) {
                    finish(endedByItself());
                } else {
                    stopRequested = true;
                    finish(ShutdownSequence.run(name, qmp, dir.agentSocket(), target(), this::shutdownReason, timeout,
                            force, note -> LOG.info("guest {}: {}", name, note)));
                }
            }
            return result;
        }
    }

    /**
     * Waits at most {@code timeout} for QEMU to exit on its own (the guest powered off, crashed...).
     *
     * @return how it ended, or empty while still running
     */
    public Optional<ShutdownResult> awaitExit(Duration timeout) {
        if (process.waitFor(timeout).isEmpty()) {
            return Optional.empty();
        }
        synchronized (shutdownLock) {
            if (result == null) {
                finish(endedByItself());
            }
            return Optional.of(result);
        }
    }

    /** How it ended, once it has. */
    public Optional<ShutdownResult> result() {
        return Optional.ofNullable(result);
    }

    /**
     * Detached guests only: lets go of the guest without stopping it (closes this JVM's QMP connection and console
     * connection, keeps the runtime directory). Later control goes through {@link GuestRegistry} / the CLI.
     */
    public void release() {
        if (process.protection() != OrphanProtection.DETACHED) {
            throw new IllegalStateException("guest '" + name + "' is attached to this JVM; only detached guests "
                    + "can be released");
        }
        released = true;
        closeConnections();
    }

    /** Shuts down with {@link LaunchOptions#shutdownTimeout()} and removes the runtime directory. */
    @Override
    public void close() {
        if (released) {
            return;
        }
        try {
            ShutdownResult r = shutdown(options.shutdownTimeout());
            LOG.debug("guest {} ended: {}", name, r);
        } finally {
            closeConnections();
            if (!process.isAlive()) {
                dir.delete();
            }
        }
    }

    private void finish(ShutdownResult r) {
        result = r;
        LOG.info("guest {} (pid {}) ended: {} exit={} reason={}", name, process.pid(), r.how(), r.exitCode(),
                r.shutdownReason());
        closeConnections();
    }

    private synchronized void closeConnections() {
        if (consoleConnection != null) {
            consoleConnection.close();
        }
        try {
            qmp.close();
        } catch (QmpException e) {
            // never throws by contract
        }
        if (listener != null) {
            listener.close();
        }
    }

    private static String reasonOf(QmpEvent e) {
        String r = e.dataText("reason");
        return r == null ? "unknown" : r;
    }

    /**
     * The reason of QEMU's SHUTDOWN event, or null. Once QEMU has exited this waits (at most 2 s) until the QMP
     * stream has been read to its end, so an event QEMU sent just before exiting is never missed.
     */
    private String shutdownReason() {
        String r = shutdownReason;
        if (r == null && !process.isAlive()) {
            try {
                r = reasonOf(shutdownWaiter.future().get(2, TimeUnit.SECONDS));
            } catch (ExecutionException | TimeoutException | CancellationException e) {
                return shutdownReason; // QEMU ended without a SHUTDOWN event (killed, crashed)
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return shutdownReason;
            }
        }
        return r;
    }

    private ShutdownResult endedByItself() {
        Integer code = process.exitCode().isPresent() ? process.exitCode().getAsInt() : null;
        String reason = shutdownReason();
        HowEnded how;
        if (ShutdownSequence.isGuestShutdown(reason) && (code == null || code == 0)) {
            how = HowEnded.POWERED_OFF;
        } else if (code != null && code == 0) {
            how = HowEnded.EXITED;
        } else {
            how = HowEnded.CRASHED;
        }
        return new ShutdownResult(how, code, reason, Duration.ZERO);
    }

    private ShutdownSequence.Target target() {
        return new ShutdownSequence.Target() {
            @Override
            public boolean isAlive() {
                return process.isAlive();
            }

            @Override
            public boolean awaitExit(Duration timeout) {
                return process.waitFor(timeout).isPresent();
            }

            @Override
            public void sigterm() {
                process.terminate(Duration.ZERO);
            }

            @Override
            public void sigkill() {
                process.kill(Duration.ZERO);
            }

            @Override
            public Integer exitCode() {
                return process.exitCode().isPresent() ? process.exitCode().getAsInt() : null;
            }

            @Override
            public boolean hurried() {
                return hurry;
            }
        };
    }

    @Override
    public String toString() {
        return "Guest[" + name + ", pid " + pid() + ", " + state() + ", " + accelerator.accelerator() + "]";
    }
}
