package io.kvmj.launcher;

import io.kvmj.core.qemu.ShellQuote;
import io.kvmj.launcher.process.GuestRecord;
import io.kvmj.launcher.process.RuntimeDir;
import io.kvmj.qmp.QmpMonitor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The current user's guests, discovered from their runtime directories (see {@link RuntimeDir#base()}), whichever
 * process launched them. Directories whose QEMU is gone are removed when listed or looked up.
 *
 * <p>Stateless and thread-safe; every blocking method takes a timeout.
 */
public final class GuestRegistry {
    private GuestRegistry() {}

    /**
     * All guests, sorted by name: the live ones, and detached guests whose QEMU has exited ({@link GuestInfo#alive()}
     * false): their runtime directory, with {@code console.log} and {@code qemu.stderr}, is kept until
     * {@link #remove(String)} or {@code stop}. Other stale runtime directories (a launch that never started, an
     * attached guest's leftovers) are removed.
     */
    public static List<GuestInfo> list() {
        List<GuestInfo> out = new ArrayList<>();
        for (RuntimeDir d : RuntimeDir.all()) {
            if (d.isLive() || exitedDetached(d)) {
                out.add(info(d));
            } else {
                d.delete();
            }
        }
        return out;
    }

    /** The live guest named {@code name}; a stale directory of that name is removed (an exited detached one kept). */
    public static Optional<GuestInfo> find(String name) {
        return findAny(name).filter(GuestInfo::alive);
    }

    /** The guest named {@code name}, live or a detached guest that exited (its logs kept); stale ones removed. */
    public static Optional<GuestInfo> findAny(String name) {
        Optional<RuntimeDir> d = RuntimeDir.find(name);
        if (d.isEmpty()) {
            return Optional.empty();
        }
        if (!d.get().isLive() && !exitedDetached(d.get())) {
            d.get().delete();
            return Optional.empty();
        }
        return Optional.of(info(d.get()));
    }

    /**
     * Like {@link #find} but a {@link GuestException} when absent: naming the running guests, or, for a detached
     * guest whose QEMU exited, saying so and where its logs are.
     */
    public static GuestInfo require(String name) {
        Optional<GuestInfo> g = findAny(name);
        if (g.isPresent() && !g.get().alive()) {
            throw new GuestException(exitedMessage(g.get()));
        }
        return g.orElseThrow(() -> new GuestException("no running guest named '" + name + "'" + known()));
    }

    /** "guest 'x' is not running: its QEMU (pid N) exited ...; logs kept in DIR ...". */
    public static String exitedMessage(GuestInfo g) {
        String last = lastLine(g.runtimeDir().resolve("qemu.stderr"));
        return "guest '" + g.name() + "' is not running: its QEMU (pid " + g.pid() + ") exited (exit status unknown: "
                + "a detached QEMU is not kvmj's child)" + (last.isEmpty() ? "" : "; QEMU said: " + last)
                + "; its logs are kept in " + g.runtimeDir() + " (console.log, qemu.stderr) until 'kvmj rm "
                + g.name() + "'";
    }

    /**
     * Removes the runtime directory (and logs) of a guest that is not running.
     *
     * @return the directory removed
     * @throws GuestException when the guest is running or unknown
     */
    public static java.nio.file.Path remove(String name) {
        Optional<RuntimeDir> d = RuntimeDir.find(name);
        if (d.isEmpty()) {
            throw new GuestException("no guest named '" + name + "'" + known());
        }
        if (d.get().isLive()) {
            throw new GuestException("guest '" + name + "' is running; stop it first ('kvmj stop " + name + "')");
        }
        d.get().delete();
        return d.get().path();
    }

    private static boolean exitedDetached(RuntimeDir d) {
        return d.qemuPid().isPresent() && d.record().isDetached()
                && !d.isLive();
    }

    private static String lastLine(java.nio.file.Path file) {
        try {
            List<String> lines = java.nio.file.Files.readAllLines(file);
            for (int i = lines.size() - 1; i >= 0; i--) {
                if (!lines.get(i).isBlank()) {
                    return lines.get(i).strip();
                }
            }
        } catch (java.io.IOException | java.io.UncheckedIOException e) {
            // no stderr log
        }
        return "";
    }

    /**
     * Connects to one of a guest's server-mode QMP sockets (bounded): {@code qmp.sock}, else {@code events.sock}
     * when another client holds the first (see {@link ClaimedQmp}). The caller closes the monitor.
     *
     * @throws ClaimedQmp.QmpBusyException when both are held by other clients
     */
    public static QmpMonitor connect(GuestInfo guest, Duration timeout) {
        return ClaimedQmp.open(List.of(guest.qmpSocket(), guest.eventsSocket()), "qmp-" + guest.name(), timeout);
    }

    /** Connects to the guest's events socket only (the long-lived stream of {@code kvmj events}). */
    public static QmpMonitor connectEvents(GuestInfo guest, Duration timeout) {
        return ClaimedQmp.open(List.of(guest.eventsSocket()), "events-" + guest.name(), timeout);
    }

    /**
     * Stops a guest launched by any process: ACPI power-down bounded by {@code timeout} (skipped with
     * {@code force}), then {@code quit}, SIGTERM, SIGKILL, 5 s each; then removes its runtime directory. The exit
     * code is unknown (QEMU is not our child). Without {@code force}, a guest whose QMP sockets are all held by
     * other clients is not signalled (it could have powered off): {@link GuestException} says so.
     */
    public static ShutdownResult stop(String name, Duration timeout, boolean force) {
        return stop(name, timeout, force, note -> { });
    }

    /** As {@link #stop(String, Duration, boolean)}; {@code notes} hears what it waits for (for a CLI to say). */
    public static ShutdownResult stop(String name, Duration timeout, boolean force,
                                      java.util.function.Consumer<String> notes) {
        GuestInfo g = require(name);
        RuntimeDir dir = RuntimeDir.locate(name);
        // the handle captures the process's start time: the JDK signals it only while the pid has that start time
        ProcessHandle h = dir.isQemuOf(g.pid()) ? ProcessHandle.of(g.pid()).orElse(null) : null;
        AtomicReference<String> reason = new AtomicReference<>();
        QmpMonitor qmp = null;
        try {
            try {
                qmp = connect(g, Duration.ofSeconds(5));
                qmp.subscribe("SHUTDOWN", e -> reason.set(e.dataText("reason") == null ? "unknown" : e.dataText("reason")));
            } catch (RuntimeException e) {
                if (!force) {
                    throw new GuestException("cannot ask guest '" + name + "' to power off: " + e.getMessage()
                            + "; close the other client, or use --force to terminate it without asking", e);
                }
                qmp = null; // QMP busy or broken, and forced: signals only
            }
            ShutdownSequence.Target target = new PidTarget(dir, h);
            return ShutdownSequence.run(name, qmp, RuntimeDir.locate(name).agentSocket(), target, reason::get, timeout,
                    force, notes);
        } finally {
            if (qmp != null) {
                qmp.close();
            }
            RuntimeDir.find(name).filter(d -> !d.isLive()).ifPresent(RuntimeDir::delete);
        }
    }

    private static String known() {
        List<GuestInfo> all = list().stream().filter(GuestInfo::alive).toList();
        if (all.isEmpty()) {
            return " (no guests are running)";
        }
        return " (running: " + String.join(", ", all.stream().map(GuestInfo::name).toList()) + ")";
    }

    static GuestInfo info(RuntimeDir d) {
        GuestRecord r = d.record();
        long pid = d.qemuPid().orElse(-1L);
        boolean console = !Boolean.FALSE.equals(r.console());
        return new GuestInfo(d.name(), pid, d.isQemuOf(pid), r.isDetached(),
                r.accelerator() == null ? "unknown" : r.accelerator(),
                r.acceleratorReason() == null ? "" : r.acceleratorReason(), r.created() == null ? "" : r.created(),
                d.path(), d.qmpSocket(), d.eventsSocket(), console ? d.consoleSocket() : null,
                console ? d.consoleLog() : null, r.argv() == null ? "" : ShellQuote.join(r.argv()));
    }

    /**
     * A QEMU that is not our child, known by a handle taken after its identity was checked. Its identity ({@link RuntimeDir#isQemuOf}) is checked before
     * every signal: a pid reused by another process (another guest's QEMU included) is never signalled.
     */
    private record PidTarget(RuntimeDir dir, ProcessHandle h) implements ShutdownSequence.Target {
        @Override
        public boolean isAlive() {
            return h != null && h.isAlive() && dir.isQemuOf(h.pid());
        }

        @Override
        public boolean awaitExit(Duration timeout) {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (isAlive()) {
                if (System.nanoTime() >= deadline) {
                    return false;
                }
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return !isAlive();
                }
            }
            return true;
        }

        @Override
        public void sigterm() {
            if (isAlive()) {
                h.destroy();
            }
        }

        @Override
        public void sigkill() {
            if (isAlive()) {
                h.destroyForcibly();
            }
        }

        @Override
        public Integer exitCode() {
            return null;
        }
    }
}
