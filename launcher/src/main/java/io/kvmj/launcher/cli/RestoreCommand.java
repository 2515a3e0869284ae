package io.kvmj.launcher.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kvmj.launcher.Guest;
import io.kvmj.launcher.GuestException;
import io.kvmj.launcher.LaunchOptions;
import io.kvmj.launcher.Launcher;
import io.kvmj.launcher.migrate.MigrationRefusedException;
import io.kvmj.launcher.migrate.SaveRestore;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code kvmj restore FILE [--name NAME]}: starts a guest saved by {@code kvmj save} (detached). */
@Command(name = "restore", mixinStandardHelpOptions = true,
        description = {"Start the guest saved in FILE by 'kvmj save', where it left off, detached (like "
            + "'kvmj run --detach'). FILE carries the guest's spec; it is kept.",
            "With --connect URI: libvirt's restore (virsh restore) of a file saved by 'kvmj --connect URI save' "
                + "(or virsh save), under its saved name; --name, --qemu and --timeout are refused."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:restored and running", "1:QEMU could not restore the state (nothing left running)",
            "2:bad usage, not a save file, or the name is taken"})
public final class RestoreCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "FILE", description = "A file written by kvmj save.")
    Path file;

    @Option(names = "--name", description = "Run under this name instead of the saved one.")
    String name;

    @Option(names = "--qemu", defaultValue = LaunchOptions.DEFAULT_QEMU,
            description = "QEMU binary (default ${DEFAULT-VALUE}).")
    String qemu;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "600",
            description = "How long loading the state may take (default ${DEFAULT-VALUE}).")
    long timeout;

    @Option(names = "--json", description = "Print the restored guest as JSON.")
    boolean json;

    @Override
    public Integer call() {
        String connect = ConnectOption.uri(spec);
        if (connect != null) {
            return LibvirtSaveCli.restore(this, connect);
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (!Files.isRegularFile(file)) {
            return fail(out, err, ExitCodes.USAGE, "no such file: " + file);
        }
        Launcher launcher = Launcher.create(LaunchOptions.defaults().withQemuBinary(qemu).withDetached(true));
        try {
            Guest g = SaveRestore.restore(launcher, file, name, Duration.ofSeconds(timeout));
            if (json) {
                out.println(Json.pretty(Json.object().put("name", g.name()).put("pid", g.pid())
                        .put("runtimeDir", g.runtimeDir().path().toString()).put("file", file.toString())));
            } else {
                out.printf("guest %s restored from %s: pid %d, runtime directory %s%n", g.name(), file, g.pid(),
                        g.runtimeDir().path());
            }
            out.flush();
            g.release();
            return ExitCodes.OK;
        } catch (MigrationRefusedException e) {
            return fail(out, err, ExitCodes.USAGE, e.getMessage());
        } catch (GuestException e) {
            return fail(out, err, e.getMessage().contains("not a kvmj save file") || e.getMessage().contains("corrupt")
                    ? ExitCodes.USAGE : ExitCodes.FAILED, e.getMessage());
        } catch (RuntimeException e) {
            return fail(out, err, ExitCodes.FAILED, "restore from " + file + " failed: " + e);
        }
    }

    private int fail(PrintWriter out, PrintWriter err, int code, String message) {
        if (json) {
            ObjectNode o = Json.object().put("file", String.valueOf(file)).put("error", message);
            out.println(Json.pretty(o));
            out.flush();
        }
        err.println("kvmj restore: " + message);
        err.flush();
        return code;
    }
}
