package io.kvmj.launcher.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kvmj.core.model.DiskSource;
import io.kvmj.core.model.GuestSpec;
import io.kvmj.launcher.Guest;
import io.kvmj.launcher.GuestException;
import io.kvmj.launcher.GuestInfo;
import io.kvmj.launcher.GuestRegistry;
import io.kvmj.launcher.LaunchOptions;
import io.kvmj.launcher.Launcher;
import io.kvmj.launcher.SpecFile;
import io.kvmj.launcher.migrate.LiveMigration;
import io.kvmj.launcher.migrate.Migratability;
import io.kvmj.launcher.migrate.Migration;
import io.kvmj.launcher.migrate.MigrationException;
import io.kvmj.launcher.migrate.MigrationOptions;
import io.kvmj.launcher.migrate.MigrationRefusedException;
import io.kvmj.launcher.migrate.MigrationResult;
import io.kvmj.launcher.migrate.MigrationSource;
import io.kvmj.qmp.QmpMonitor;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code kvmj migrate NAME --to NEWNAME|tcp:HOST:PORT}: live migration of a running guest, to a new guest on this
 * host (started detached from the guest's recorded spec) or to a QEMU waiting with {@code kvmj run --incoming}.
 */
@Command(name = "migrate", mixinStandardHelpOptions = true,
        description = {"Move a running guest without stopping it. --to NEWNAME: a new QEMU on this host, started "
            + "from the guest's spec with -incoming defer, takes over the guest under NEWNAME (detached). "
            + "--to tcp:HOST:PORT: send it to a QEMU waiting with 'kvmj run ... --incoming tcp:ADDR:PORT'. "
            + "The source QEMU ends only after the destination runs. Ctrl-C, a failure or a destination that "
            + "dies before post-copy cancel the migration: the guest keeps running on the source. "
            + "--copy-storage: for disks the destination cannot reach (non-shared storage)."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:migrated", "1:the migration failed or was cancelled (the guest keeps running unless "
            + "the message says otherwise)", "2:bad usage, no such guest, or the guest cannot be migrated",
            "130:interrupted (Ctrl-C): migration cancelled"})
public final class MigrateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "NAME", description = "The running guest.")
    String name;

    @Option(names = "--to", required = true, paramLabel = "NEWNAME|tcp:HOST:PORT|unix:PATH",
            description = "Where the guest goes: a new guest name on this host, or a URI where QEMU waits.")
    String to;

    @Option(names = "--max-downtime", paramLabel = "MS", description = "Largest final pause QEMU may plan (QEMU's "
            + "default 300 ms).")
    Long maxDowntimeMs;

    @Option(names = "--speed", paramLabel = "MiB/s", defaultValue = "0",
            description = "Bandwidth limit in MiB/s (default 0: unlimited).")
    long speed;

    @Option(names = "--auto-converge", description = "Slow the guest's vCPUs when it dirties memory faster than it "
            + "is sent.")
    boolean autoConverge;

    @Option(names = "--postcopy", description = "Enable post-copy on both sides and switch to it after the first "
            + "pass (the destination runs the guest and pulls the rest on demand; cannot be cancelled after that).")
    boolean postcopy;

    @Option(names = "--copy-storage", description = "For storage the destination cannot reach: create new disk "
            + "files (same format and virtual size; default STEM.NEWNAME.EXT next to each source image), serve them "
            + "from the destination over NBD and mirror the disks into them before the RAM moves (like virsh migrate "
            + "--copy-storage-all). The source images stay untouched. --to NEWNAME only.")
    boolean copyStorage;

    @Option(names = "--disk-target", paramLabel = "DISK=PATH", description = "With --copy-storage: the new file for "
            + "disk DISK (its id). Repeatable.")
    Map<String, Path> diskTargets = new LinkedHashMap<>();

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "1800",
            description = "Cancel when not done after this long (default ${DEFAULT-VALUE}).")
    long timeout;

    @Option(names = "--json", description = "Print the result (times, bytes, QEMU's statistics) as JSON.")
    boolean json;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        MigrationOptions opts;
        try {
            opts = MigrationOptions.defaults().withSpeedMiBps(speed).withAutoConverge(autoConverge)
                    .withPostcopy(postcopy).withTimeout(Duration.ofSeconds(timeout))
                    .withMaxDowntime(maxDowntimeMs == null ? null : Duration.ofMillis(maxDowntimeMs))
                    .withCopyStorage(copyStorage, diskTargets);
        } catch (IllegalArgumentException e) {
            return fail(out, err, ExitCodes.USAGE, e.getMessage());
        }
        Optional<GuestInfo> found = GuestRegistry.find(name);
        if (found.isEmpty() || !found.get().alive()) {
            return fail(out, err, ExitCodes.USAGE, "no running guest named '" + name + "'");
        }
        GuestInfo info = found.get();
        boolean remote = to.contains(":");
        if (remote && copyStorage) {
            return fail(out, err, ExitCodes.USAGE, "--copy-storage works with --to NEWNAME on this host only: the "
                    + "destination must create and serve the new disks, which a QEMU started by 'kvmj run "
                    + "--incoming' does not do yet");
        }
        Optional<GuestSpec> guestSpec = SpecFile.readWithSecrets(info.runtimeDir()); // with its VNC password
        if (!remote && guestSpec.isEmpty()) {
            return fail(out, err, ExitCodes.USAGE, "guest '" + name + "' has no recorded spec (" + SpecFile.NAME
                    + "; launched from raw QEMU arguments?): kvmj cannot start its destination");
        }
        QmpMonitor qmp;
        try {
            qmp = GuestRegistry.connect(info, Duration.ofSeconds(10));
        } catch (RuntimeException e) {
            return fail(out, err, ExitCodes.FAILED, "cannot reach guest '" + name + "' over QMP: " + e.getMessage());
        }
        AtomicBoolean interrupted = new AtomicBoolean();
        MigrationProgressLine line = new MigrationProgressLine(err, System.console() != null && !json,
                name + " -> " + to);
        try (qmp) {
            MigrationSource source = MigrationSource.registered(name, qmp);
            Migration m;
            if (remote) {
                m = LiveMigration.toUri(source, to, opts, line);
            } else {
                String binary = ProcessHandle.of(info.pid()).flatMap(h -> h.info().command())
                        .filter(c -> c.contains("qemu")).orElse(LaunchOptions.DEFAULT_QEMU);
                Launcher launcher = Launcher.create(LaunchOptions.defaults().withQemuBinary(binary).withDetached(true));
                m = LiveMigration.toNewGuest(launcher, source, guestSpec.get(), to, opts, line);
            }
            // after the checks: a refused move prints its one line only
            guestSpec.ifPresent(g -> Migratability.warnings(g, postcopy)
                    .forEach(w -> err.println("kvmj migrate: warning: " + w)));
            Signals.onInterrupt(() -> {
                interrupted.set(true);
                m.cancel("interrupted (Ctrl-C)");
            });
            MigrationResult r;
            try {
                r = m.await(Duration.ofSeconds(timeout).plusMinutes(5));
            } finally {
                line.finish();
            }
            Map<String, String> disks = new LinkedHashMap<>();
            if (copyStorage) {
                m.destination().flatMap(d -> SpecFile.read(d.runtimeDir().path())).ifPresent(s -> s.disks()
                        .forEach(d -> disks.put(d.id(), d.source() instanceof DiskSource.File f
                                ? f.path().toString() : d.source().toString())));
            }
            m.destination().ifPresent(Guest::release);
            if (json) {
                ObjectNode o = r.toJson();
                if (copyStorage) {
                    ObjectNode d = o.putObject("disks");
                    disks.forEach(d::put);
                }
                out.println(Json.pretty(o));
            } else {
                out.printf("guest %s now runs %s: %d ms total, downtime %s ms, setup %s ms, %.1f MiB sent%s%n", name,
                        remote ? "at " + to : "as " + to, r.totalTimeMs(), r.downtimeMs(), r.setupTimeMs(),
                        r.transferredBytes() / 1048576.0, r.postcopy() ? ", post-copy" : "");
                disks.forEach((id, path) -> out.printf("disk %s copied to %s%n", id, path));
            }
            out.flush();
            return ExitCodes.OK;
        } catch (MigrationRefusedException e) {
            return fail(out, err, ExitCodes.USAGE, e.getMessage());
        } catch (GuestException e) {
            return fail(out, err, interrupted.get() && e instanceof MigrationException me && me.sourceRunning()
                    ? ExitCodes.INTERRUPTED : ExitCodes.FAILED, e.getMessage());
        } catch (RuntimeException e) {
            return fail(out, err, ExitCodes.FAILED, "migration of guest '" + name + "' failed: " + e);
        }
    }

    private int fail(PrintWriter out, PrintWriter err, int code, String message) {
        if (json) {
            ObjectNode o = Json.object().put("name", name).put("error", message);
            out.println(Json.pretty(o));
            out.flush();
        }
        err.println("kvmj migrate: " + message);
        err.flush();
        return code;
    }
}
