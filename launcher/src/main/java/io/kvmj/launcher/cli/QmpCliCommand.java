package io.kvmj.launcher.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.kvmj.launcher.ClaimedQmp;
import io.kvmj.launcher.GuestException;
import io.kvmj.launcher.GuestRegistry;
import io.kvmj.qmp.QmpErrorException;
import io.kvmj.qmp.QmpException;
import io.kvmj.qmp.QmpMonitor;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code kvmj qmp NAME|--socket PATH COMMAND [JSON-ARGS]}: one QMP command, reply printed as JSON. */
@Command(name = "qmp", mixinStandardHelpOptions = true,
        description = {"Run one QMP command on a guest and print the reply (the 'return' value) as JSON.",
            "Examples: kvmj qmp vm1 query-status;  kvmj qmp vm1 human-monitor-command "
                + "'{\"command-line\":\"info registers\"}';  kvmj qmp --socket /path/qmp.sock query-version"},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:reply printed", "1:QMP error (class and text on stderr), guest not running, "
            + "or no connection", "2:bad usage (e.g. JSON-ARGS not a JSON object)"})
public final class QmpCliCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--socket", paramLabel = "PATH", description = "Connect to this QMP socket instead of a named guest.")
    Path socket;

    @Option(names = "--timeout", defaultValue = "30", paramLabel = "SECONDS", converter = Counts.Positive.class,
            description = "Bound on connecting and on the reply (default ${DEFAULT-VALUE}).")
    long timeout;

    @Parameters(paramLabel = "NAME COMMAND [JSON-ARGS]", description = "Guest name (omit with --socket), QMP command, "
            + "optional arguments as a JSON object.")
    List<String> args = new ArrayList<>();

    @Override
    public Integer call() {
        String connect = ConnectOption.uri(spec);
        if (connect != null) {
            return LibvirtCli.qmp(this, connect);
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        GuestTarget t;
        JsonNode arguments = null;
        try {
            t = GuestTarget.resolve(socket, args, true);
            if (t.rest.isEmpty() || t.rest.size() > 2) {
                err.println("kvmj qmp: expected COMMAND [JSON-ARGS] after the guest name / --socket");
                return ExitCodes.USAGE;
            }
            if (t.rest.size() == 2) {
                try {
                    arguments = Json.MAPPER.readTree(t.rest.get(1));
                } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                    err.println("kvmj qmp: JSON-ARGS is not valid JSON: " + e.getOriginalMessage());
                    return ExitCodes.USAGE;
                }
                if (arguments == null || !arguments.isObject()) {
                    err.println("kvmj qmp: JSON-ARGS must be a JSON object, e.g. '{\"device\":\"disk0\"}'");
                    return ExitCodes.USAGE;
                }
            }
        } catch (IllegalArgumentException e) {
            err.println("kvmj qmp: " + e.getMessage());
            return ExitCodes.USAGE;
        } catch (GuestException e) {
            err.println("kvmj qmp: " + e.getMessage());
            return ExitCodes.FAILED;
        }
        Duration d = Duration.ofSeconds(timeout);
        try (QmpMonitor qmp = t.guest == null ? open(t.socket, d, "qmp-cli") : GuestRegistry.connect(t.guest, d)) {
            JsonNode reply = qmp.call(t.rest.get(0), arguments, d);
            out.println(Json.pretty(reply));
            out.flush();
            return ExitCodes.OK;
        } catch (QmpErrorException e) {
            err.println("kvmj qmp: " + e.errorClass() + ": " + e.description());
            return ExitCodes.FAILED;
        } catch (QmpException e) {
            err.println("kvmj qmp: " + t.label + ": " + e.getMessage()
                    + (e.getMessage() != null && e.getMessage().contains("greeting")
                    ? " (QEMU serves one client per QMP socket: is another client connected?)" : ""));
            return ExitCodes.FAILED;
        }
    }

    /** Connects to an explicit {@code --socket} (claimed, see {@link ClaimedQmp}); a missing file fails at once. */
    static QmpMonitor open(Path socket, Duration timeout, String name) {
        return ClaimedQmp.open(List.of(socket), name, timeout);
    }
}
