package io.kvmj.launcher.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import io.kvmj.launcher.GuestInfo;
import io.kvmj.launcher.GuestRegistry;
import io.kvmj.launcher.GuestStatus;
import java.time.Duration;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code kvmj list}: the current user's running guests. */
@Command(name = "list", mixinStandardHelpOptions = true,
        description = {"List guests (found in the runtime directories; stale ones are removed): state as QEMU reports it "
            + "(running, paused, prelaunch, ...; exited for a detached guest whose QEMU died; unknown when its QMP "
            + "sockets are held by other clients), vCPUs, memory, accelerator, ssh and VNC addresses, uptime."},
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
        Duration ask = Duration.ofSeconds(2);
        if (json) {
            ArrayNode a = Json.MAPPER.createArrayNode();
            for (GuestInfo g : guests) {
                a.add(GuestJson.of(g, GuestStatus.of(g, ask)));
            }
            out.println(Json.pretty(a));
        } else if (guests.isEmpty()) {
            out.println("no guests");
        } else {
            String fmt = "%-20s %8s  %-9s %5s %8s  %-5s  %-8s  %-15s  %-15s  %s%n";
            out.printf(fmt, "NAME", "PID", "STATE", "VCPUS", "MEMORY", "ACCEL", "MODE", "SSH", "VNC", "UPTIME");
            for (GuestInfo g : guests) {
                GuestStatus s = GuestStatus.of(g, ask);
                out.printf(fmt, g.name(), g.pid(), s.state(), s.vcpus(), s.memoryMiB() + "M", g.accelerator(),
                        g.detached() ? "detached" : "attached", s.ssh() == null ? "-" : s.ssh(),
                        s.vnc() == null ? "-" : s.vnc(), s.uptimeText());
            }
        }
        out.flush();
        return ExitCodes.OK;
    }
}
