package io.kvmj.launcher.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kvmj.core.model.GuestSpec;
import io.kvmj.launcher.GuestException;
import io.kvmj.launcher.GuestInfo;
import io.kvmj.launcher.GuestRegistry;
import io.kvmj.launcher.SpecFile;
import io.kvmj.launcher.migrate.Migration;
import io.kvmj.launcher.migrate.MigrationException;
import io.kvmj.launcher.migrate.MigrationOptions;
import io.kvmj.launcher.migrate.MigrationRefusedException;
import io.kvmj.launcher.migrate.MigrationResult;
import io.kvmj.launcher.migrate.MigrationSource;
import io.kvmj.launcher.migrate.SaveRestore;
import io.kvmj.qmp.QmpMonitor;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code kvmj save NAME FILE}: the guest's state into FILE (with its spec), then the guest stops. */
@Command(name = "save", mixinStandardHelpOptions = true,
        description = {"Save a running guest's state (memory, devices) and spec into FILE and stop it, like "
            + "'virsh save'; 'kvmj restore FILE' starts it again. Disks are not copied: leave them unchanged until "
            + "the restore. FILE must not exist. Ctrl-C or a failure removes the partial file; the guest keeps "
            + "running.", "With --connect URI: libvirt's save (virsh save) into FILE on the daemon's host, in "
            + "libvirt's format; 'kvmj --connect URI restore FILE' starts it again."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:saved, guest stopped", "1:the save failed (the guest keeps running)",
            "2:bad usage, no such guest, FILE exists, or the guest cannot be saved", "130:interrupted (Ctrl-C)"})
public final class SaveCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "NAME", description = "The running guest.")
    String name;

    @Parameters(index = "1", paramLabel = "FILE", description = "The save file to create.")
    Path file;

    @Option(names = "--json", description = "Print the result as JSON.")
    boolean json;

    @Override
    public Integer call() {
        String connect = ConnectOption.uri(spec);
        if (connect != null) {
            return LibvirtSaveCli.save(this, connect);
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Optional<GuestInfo> found = GuestRegistry.find(name);
        if (found.isEmpty() || !found.get().alive()) {
            return fail(out, err, ExitCodes.USAGE, "no running guest named '" + name + "'");
        }
        GuestInfo info = found.get();
        Optional<GuestSpec> guestSpec = SpecFile.readWithSecrets(info.runtimeDir()); // with its VNC password
        if (guestSpec.isEmpty()) {
            return fail(out, err, ExitCodes.USAGE, "guest '" + name + "' has no recorded spec (" + SpecFile.NAME
                    + "; launched from raw QEMU arguments?): a save could not be restored");
        }
        AtomicBoolean interrupted = new AtomicBoolean();
        try (QmpMonitor qmp = GuestRegistry.connect(info, Duration.ofSeconds(10))) {
            Migration m = SaveRestore.save(MigrationSource.registered(name, qmp), info.runtimeDir(), guestSpec.get(),
                    file.toAbsolutePath(), MigrationOptions.defaults(), p -> { });
            Signals.onInterrupt(() -> {
                interrupted.set(true);
                m.cancel("interrupted (Ctrl-C)");
            });
            MigrationResult r = m.await(Duration.ofHours(2));
            if (json) {
                out.println(Json.pretty(r.toJson().put("file", file.toAbsolutePath().toString())));
            } else {
                out.printf("guest %s saved to %s (%.1f MiB of memory, %d ms) and stopped%n", name, file,
                        r.transferredBytes() / 1048576.0, r.totalTimeMs());
            }
            out.flush();
            return ExitCodes.OK;
        } catch (MigrationRefusedException e) {
            return fail(out, err, ExitCodes.USAGE, e.getMessage());
        } catch (GuestException e) {
            return fail(out, err, interrupted.get() && e instanceof MigrationException me && me.sourceRunning()
                    ? ExitCodes.INTERRUPTED : ExitCodes.FAILED, e.getMessage());
        } catch (RuntimeException e) {
            return fail(out, err, ExitCodes.FAILED, "save of guest '" + name + "' failed: " + e);
        }
    }

    private int fail(PrintWriter out, PrintWriter err, int code, String message) {
        if (json) {
            ObjectNode o = Json.object().put("name", name).put("error", message);
            out.println(Json.pretty(o));
            out.flush();
        }
        err.println("kvmj save: " + message);
        err.flush();
        return code;
    }
}
