package io.kvmj.bench.launch;

import io.kvmj.core.model.GuestSpec;
import io.kvmj.launcher.Guest;
import io.kvmj.launcher.Launcher;
import io.kvmj.launcher.migrate.LiveMigration;
import io.kvmj.launcher.migrate.Migration;
import io.kvmj.launcher.migrate.MigrationListener;
import io.kvmj.launcher.migrate.MigrationOptions;
import io.kvmj.launcher.migrate.MigrationResult;
import io.kvmj.launcher.migrate.MigrationSource;
import io.kvmj.qmp.QmpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * One running guest handed back and forth between kvmj and the raw script: {@link #kvmjMove()} migrates it, from
 * whoever holds it, into a new QEMU that {@code LiveMigration.toNewGuest} launches; {@link #rawMove()} migrates it
 * from that kvmj guest into a bare QEMU with the argv kvmj would run ({@link RawMigration}). Every move starts a
 * destination under a new name ({@code TAG1}, {@code TAG2}, ...) and ends the QEMU it left (pre-copy only).
 *
 * <pre>{@code
 * try (MigrationChain c = new MigrationChain(launcher, planner, spec, "bm42-", Duration.ofMinutes(5))) {
 *     c.launch();
 *     MigrationChain.Step k = c.kvmjMove();   // kvmj: launched guest -> bm42-1
 *     MigrationChain.Step b = c.rawMove();    // raw script: bm42-1 -> bare QEMU bm42-2
 * }
 * }</pre>
 */
final class MigrationChain implements AutoCloseable {
    /** One move: wall time from spawning the destination to the guest running there, and QEMU's figures. */
    record Step(double wallMs, long totalTimeMs, long downtimeMs, long transferredBytes) {
    }

    private final Launcher launcher;
    private final Launcher planner;
    private final GuestSpec base;
    private final String tag;
    private final Duration timeout;
    private int moves;
    /** The holder when a kvmj QEMU runs the guest, else null. */
    private Guest kvmj;
    /** The holder when a bare QEMU runs the guest, else null; with its QMP connection and scratch directory. */
    private Process raw;
    private String rawName;
    private QmpClient rawQmp;
    private Path rawScratch;

    MigrationChain(Launcher launcher, Launcher planner, GuestSpec base, String tag, Duration timeout) {
        this.launcher = launcher;
        this.planner = planner;
        this.base = base;
        this.tag = tag;
        this.timeout = timeout;
    }

    /** Launches the guest with kvmj ({@code TAG0}). */
    Guest launch() {
        kvmj = launcher.launch(spec(tag + "0"));
        return kvmj;
    }

    /** The agent socket of the QEMU that holds the guest now. */
    Path agentSocket() {
        return kvmj != null ? kvmj.runtimeDir().agentSocket() : DirtyWorkload.rawAgentSocket(rawScratch);
    }

    /** kvmj's {@code LiveMigration.toNewGuest} from the current holder into a new kvmj guest. */
    Step kvmjMove() throws Exception {
        String name = tag + (++moves);
        MigrationSource source = kvmj != null ? MigrationSource.of(kvmj) : rawSource();
        long t0 = System.nanoTime();
        Migration m = LiveMigration.toNewGuest(launcher, source, spec(name), name,
                MigrationOptions.defaults().withTimeout(timeout), MigrationListener.NONE);
        MigrationResult r = m.await(timeout.plusMinutes(1));
        double wall = (System.nanoTime() - t0) / 1e6;
        Guest dest = m.destination().orElseThrow();
        endRaw(); // source.end() has quit it already
        kvmj = dest;
        return new Step(wall, r.totalTimeMs(), r.downtimeMs() == null ? -1 : r.downtimeMs(), r.transferredBytes());
    }

    /** The raw script from the current kvmj holder into a bare QEMU. */
    Step rawMove() throws Exception {
        if (kvmj == null) {
            throw new IllegalStateException("the raw script moves the guest out of a kvmj guest");
        }
        String name = tag + (++moves);
        Path scratch = Files.createTempDirectory("kvmj-bench-mig");
        RawMigration.Result rr;
        try {
            rr = RawMigration.run(kvmj.runtimeDir().qmpSocket(), planner.plan(spec(name)).argv(), scratch, timeout);
        } catch (Exception e) {
            DebianBoot.deleteAll(scratch);
            throw e;
        }
        kvmj.close(); // it was sent quit after the raw migration: collect it, remove its runtime directory
        kvmj = null;
        raw = rr.destination();
        rawName = name;
        rawScratch = scratch;
        rawQmp = QmpClient.connect(rr.destinationQmp()).get(30, TimeUnit.SECONDS);
        return new Step(rr.wallMs(), rr.totalTimeMs(), rr.downtimeMs(), rr.transferredBytes());
    }

    /**
     * What the QEMU holding the guest says, for a failure note: alive or its exit status, the tails of its log and
     * of the guest's console (a guest kernel that crashed after a move shows there).
     */
    String holderState() {
        if (kvmj != null) {
            return "kvmj QEMU " + kvmj.name() + (kvmj.isAlive() ? " alive" : " exited") + ", console: "
                    + tail(kvmj.runtimeDir().consoleLog());
        }
        if (raw == null) {
            return "no QEMU holds the guest";
        }
        return "bare QEMU " + rawName + (raw.isAlive() ? " alive" : " exited " + raw.exitValue()) + ", log: "
                + tail(rawScratch.resolve("qemu.log")) + ", console: " + tail(rawScratch.resolve("console.log"))
                + ", its QMP client " + (rawQmp == null ? "none" : rawQmp.state());
    }

    private static String tail(Path file) {
        try {
            String s = Files.readString(file).strip();
            return s.isEmpty() ? "(empty)" : s.substring(Math.max(0, s.length() - 400)).replace('\n', ' ');
        } catch (java.io.IOException e) {
            return "(none)";
        }
    }

    private MigrationSource rawSource() {
        QmpClient qmp = rawQmp;
        Process p = raw;
        return new MigrationSource(rawName, qmp, () -> {
            try {
                qmp.call("quit", null, Duration.ofSeconds(10));
            } catch (RuntimeException e) {
                // QEMU may close the socket before replying
            }
            qmp.close();
            try {
                p.waitFor(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    private void endRaw() {
        if (raw == null) {
            return;
        }
        rawQmp.close();
        if (raw.isAlive()) {
            raw.destroyForcibly();
        }
        DebianBoot.deleteAll(rawScratch);
        raw = null;
        rawQmp = null;
        rawScratch = null;
    }

    private GuestSpec spec(String name) {
        return base.toBuilder().name(name).build();
    }

    /** Kills whichever QEMU holds the guest and removes its directory. */
    @Override
    public void close() {
        if (kvmj != null) {
            kvmj.kill();
            kvmj.close();
            kvmj = null;
        }
        if (raw != null) {
            try {
                raw.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            endRaw();
        }
    }
}
