package io.kvmj.launcher.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import io.kvmj.launcher.GuestInfo;
import io.kvmj.launcher.GuestRegistry;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code kvmj list}: the current user's running guests. */
@Command(name = "list", mixinStandardHelpOptions = true,
        description = "List running guests (found in the runtime directories; stale ones are removed).",
        exitCodeListHeading = "%nExit codes:%n", exitCodeList = {"0:listed (possibly none)", "2:internal error"})
public final class ListCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--json", description = "Print a JSON array.")
    boolean json;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        List<GuestInfo> guests = GuestRegistry.list();
        if (json) {
            ArrayNode a = Json.MAPPER.createArrayNode();
            for (GuestInfo g : guests) {
                a.add(GuestJson.of(g));
            }
            out.println(Json.pretty(a));
        } else if (guests.isEmpty()) {
            out.println("no guests");
        } else {
            out.printf("%-24s %8s  %-7s  %-5s  %-8s  %-21s  %s%n", "NAME", "PID", "STATE", "ACCEL", "MODE", "VNC",
                    "STARTED");
            for (GuestInfo g : guests) {
                out.printf("%-24s %8d  %-7s  %-5s  %-8s  %-21s  %s%n", g.name(), g.pid(), g.alive() ? "running" : "exited",
                        g.accelerator(), g.detached() ? "detached" : "attached", g.vnc().orElse("-"), g.created());
            }
        }
        out.flush();
        return ExitCodes.OK;
    }
}
