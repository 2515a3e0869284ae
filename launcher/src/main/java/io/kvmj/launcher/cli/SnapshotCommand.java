package io.kvmj.launcher.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kvmj.launcher.GuestException;
import io.kvmj.launcher.GuestInfo;
import io.kvmj.launcher.GuestRegistry;
import io.kvmj.launcher.migrate.InternalSnapshots;
import io.kvmj.qmp.QmpException;
import io.kvmj.qmp.QmpMonitor;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code kvmj snapshot create|list|revert|delete NAME [TAG]}: internal snapshots with memory (qcow2 guests). */
@Command(name = "snapshot", mixinStandardHelpOptions = true,
        description = {"Internal snapshots of a running guest, disks and memory together (every writable disk must "
            + "be qcow2; the memory goes into the first): create NAME TAG, list NAME, revert NAME TAG (the guest "
            + "continues from the snapshot), delete NAME TAG."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:done", "1:QEMU failed the operation", "2:bad usage, no such guest or snapshot, "
            + "a disk that is not qcow2"})
public final class SnapshotCommand implements Callable<Integer> {
    private static final List<String> ACTIONS = List.of("create", "list", "revert", "delete");

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "ACTION", description = "create, list, revert or delete.")
    String action;

    @Parameters(index = "1", paramLabel = "NAME", description = "The running guest.")
    String name;

    @Parameters(index = "2", paramLabel = "TAG", arity = "0..1", description = "The snapshot's name.")
    String tag;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "1800",
            description = "Limit for the snapshot job (default ${DEFAULT-VALUE}).")
    long timeout;

    @Option(names = "--json", description = "Print the result as JSON.")
    boolean json;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (!ACTIONS.contains(action)) {
            return fail(out, err, ExitCodes.USAGE, "unknown action '" + action + "' (create, list, revert, delete)");
        }
        if (!action.equals("list") && (tag == null || tag.isBlank())) {
            return fail(out, err, ExitCodes.USAGE, action + " needs a TAG");
        }
        Optional<GuestInfo> found = GuestRegistry.find(name);
        if (found.isEmpty() || !found.get().alive()) {
            return fail(out, err, ExitCodes.USAGE, "no running guest named '" + name + "'");
        }
        ProgressPrinter progress = ProgressPrinter.forConsole(err, action + " " + tag);
        Duration t = Duration.ofSeconds(timeout);
        try (QmpMonitor qmp = GuestRegistry.connect(found.get(), Duration.ofSeconds(10))) {
            switch (action) {
                case "list" -> {
                    List<InternalSnapshots.Entry> all = InternalSnapshots.list(qmp);
                    if (json) {
                        ArrayNode a = Json.MAPPER.createArrayNode();
                        all.forEach(e -> a.addObject().put("tag", e.tag()).put("id", e.id())
                                .put("vmStateSize", e.vmStateSize()).put("date", e.date().toString())
                                .put("vmClockMs", e.vmClockMs()));
                        out.println(Json.pretty(a));
                    } else {
                        all.forEach(e -> out.printf("%-20s %10.1f MiB  %s%n", e.tag(), e.vmStateSize() / 1048576.0,
                                e.date()));
                    }
                }
                case "create" -> InternalSnapshots.create(qmp, tag, progress::progress, t);
                case "revert" -> InternalSnapshots.revert(qmp, tag, progress::progress, t);
                default -> InternalSnapshots.delete(qmp, tag, progress::progress, t);
            }
            progress.finish();
            if (!action.equals("list")) {
                if (json) {
                    out.println(Json.pretty(Json.object().put("name", name).put("action", action).put("tag", tag)));
                } else {
                    out.printf("guest %s: snapshot %s %s%n", name, tag, switch (action) {
                        case "create" -> "created";
                        case "revert" -> "reverted to";
                        default -> "deleted";
                    });
                }
            }
            out.flush();
            return ExitCodes.OK;
        } catch (QmpException e) {
            progress.finish();
            return fail(out, err, ExitCodes.FAILED, e.getMessage());
        } catch (GuestException e) {
            progress.finish();
            boolean usage = e.getMessage().startsWith("no snapshot") || e.getMessage().startsWith("internal snapshots")
                    || e.getMessage().contains("exists already");
            return fail(out, err, usage ? ExitCodes.USAGE : ExitCodes.FAILED, e.getMessage());
        }
    }

    private int fail(PrintWriter out, PrintWriter err, int code, String message) {
        if (json) {
            ObjectNode o = Json.object().put("name", name).put("error", message);
            out.println(Json.pretty(o));
            out.flush();
        }
        err.println("kvmj snapshot: " + message);
        err.flush();
        return code;
    }
}
