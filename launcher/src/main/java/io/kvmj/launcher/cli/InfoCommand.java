package io.kvmj.launcher.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kvmj.launcher.GuestException;
import io.kvmj.launcher.GuestInfo;
import io.kvmj.launcher.GuestRegistry;
import io.kvmj.launcher.GuestStatus;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code kvmj info NAME}: one guest in full (what {@code list} shows, plus sockets, logs and the command line). */
@Command(name = "info", mixinStandardHelpOptions = true,
        description = "Show one guest in full: state, vCPUs, memory, accelerator and why, ssh and VNC addresses, "
            + "uptime, runtime directory, sockets (QMP, events, console, guest agent), console log, QEMU command line.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:shown (also for an exited detached guest)", "1:no such guest", "2:bad usage"})
public final class InfoCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "NAME", description = "Guest name.")
    String name;

    @Option(names = "--json", description = "Print a JSON object (the fields of 'list --json').")
    boolean json;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        GuestInfo g;
        try {
            g = GuestRegistry.findAny(name).orElseThrow(() -> new GuestException("no guest named '" + name + "'"));
        } catch (GuestException e) {
            spec.commandLine().getErr().println("kvmj info: " + e.getMessage());
            return ExitCodes.FAILED;
        }
        GuestStatus s = GuestStatus.of(g, Duration.ofSeconds(2));
        if (json) {
            ObjectNode o = GuestJson.of(g, s);
            out.println(Json.pretty(o));
        } else {
            String f = "%-14s %s%n";
            out.printf(f, "name", g.name());
            out.printf(f, "state", s.state() + (g.alive() ? "" : " (" + GuestRegistry.exitedMessage(g) + ")"));
            out.printf(f, "pid", g.pid());
            out.printf(f, "vcpus", s.vcpus());
            out.printf(f, "memory", s.memoryMiB() + " MiB");
            out.printf(f, "accelerator", g.accelerator() + " (" + g.acceleratorReason() + ")");
            out.printf(f, "mode", g.detached() ? "detached" : "attached");
            out.printf(f, "uptime", s.uptimeText() + " (started " + g.created() + ")");
            out.printf(f, "ssh", s.ssh() == null ? "-" : s.ssh() + " (kvmj ssh " + g.name()
                    + (s.sshUser() == null ? "" : ", user " + s.sshUser()) + ")");
            out.printf(f, "vnc", s.vnc() == null ? "-" : s.vnc());
            out.printf(f, "runtime dir", g.runtimeDir());
            out.printf(f, "qmp", g.qmpSocket());
            out.printf(f, "events", g.eventsSocket());
            out.printf(f, "console", g.consoleSocket() == null ? "-" : g.consoleSocket());
            out.printf(f, "console log", g.consoleLog() == null ? "-" : g.consoleLog());
            out.printf(f, "agent", s.agentChannel() ? g.runtimeDir().resolve("qga.sock") : "- (no PCI bus)");
            out.printf(f, "command line", g.commandLine());
        }
        out.flush();
        return ExitCodes.OK;
    }
}
