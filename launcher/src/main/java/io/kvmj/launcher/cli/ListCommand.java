package io.kvmj.launcher.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import io.kvmj.launcher.GuestInfo;
import io.kvmj.launcher.GuestRegistry;
import io.kvmj.launcher.GuestStatus;
import io.kvmj.launcher.process.RuntimeDir;
import io.kvmj.qmp.QmpOneShot;
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

    @Option(names = "--name", description = "Print only the names, one per line (as virsh list --name; used by "
            + "the shell completion).")
    boolean namesOnly;

    @Override
    public Integer call() {
        String connect = ConnectOption.uri(spec);
        if (connect != null) {
            return LibvirtCli.list(this, connect);
        }
        return print(spec.commandLine().getOut(), json, namesOnly);
    }

    /**
     * The argument vectors {@link Main} runs without building picocli's model (issue 19): {@code list} followed by
     * {@code --json} and/or {@code --name}, each at most once, in either order. Anything else ({@code --help}, a
     * typo, a repeated option, {@code -c URI} before {@code list}) goes through picocli, whose messages and exit
     * codes are the reference; {@code ListFastPathTest} checks that these are all of this command's options and that
     * both ways print the same.
     */
    static boolean plainArgs(String[] args) {
        if (args.length == 0 || args.length > 3 || !args[0].equals("list")) {
            return false;
        }
        boolean seenJson = false;
        boolean seenName = false;
        for (int i = 1; i < args.length; i++) {
            if (args[i].equals("--json") && !seenJson) {
                seenJson = true;
            } else if (args[i].equals("--name") && !seenName) {
                seenName = true;
            } else {
                return false;
            }
        }
        return true;
    }

    /** Column widths of the table, negative for left-aligned; the last column is not padded. */
    private static final int[] WIDTHS = {-20, 8, -9, 5, 8, -5, -8, -15, -15, 0};
    /** What goes before each column but the first. */
    private static final String[] GAPS = {" ", "  ", " ", " ", "  ", "  ", "  ", "  ", "  "};

    /**
     * One line of the table, as {@code String.format("%-20s %8s  %-9s %5s %8s  %-5s  %-8s  %-15s  %-15s  %s%n", cells)}
     * prints it (ListFastPathTest compares the two): padded by hand, since the JDK's {@code Formatter} costs
     * {@code kvmj list} several ms to set up (issue 19).
     */
    static String row(Object... cells) {
        StringBuilder b = new StringBuilder(128);
        for (int i = 0; i < WIDTHS.length; i++) {
            if (i > 0) {
                b.append(GAPS[i - 1]);
            }
            String v = String.valueOf(cells[i]);
            int pad = Math.abs(WIDTHS[i]) - v.length();
            if (WIDTHS[i] > 0) {
                b.append(" ".repeat(Math.max(0, pad)));
            }
            b.append(v);
            if (WIDTHS[i] < 0) {
                b.append(" ".repeat(Math.max(0, pad)));
            }
        }
        return b.append(System.lineSeparator()).toString();
    }

    /** Prints this host's guests as {@code kvmj list} does ({@code --json}: a JSON array; {@code --name}: names). */
    static int print(PrintWriter out, boolean json, boolean namesOnly) {
        if ((json || !namesOnly) && !RuntimeDir.all().isEmpty()) {
            QmpOneShot.warmUp(); // the state of a guest is asked over QMP: the JDK's socket set-up meanwhile
        }
        List<GuestInfo> guests = GuestRegistry.list();
        Duration ask = Duration.ofSeconds(2);
        if (namesOnly && !json) {
            guests.forEach(g -> out.println(g.name()));
        } else if (json) {
            ArrayNode a = Json.MAPPER.createArrayNode();
            for (GuestInfo g : guests) {
                a.add(GuestJson.of(g, GuestStatus.of(g, ask)));
            }
            out.println(Json.pretty(a));
        } else if (guests.isEmpty()) {
            out.println("no guests");
        } else {
            out.print(row("NAME", "PID", "STATE", "VCPUS", "MEMORY", "ACCEL", "MODE", "SSH", "VNC", "UPTIME"));
            for (GuestInfo g : guests) {
                GuestStatus s = GuestStatus.of(g, ask);
                out.print(row(g.name(), g.pid(), s.state(), s.vcpus(), s.memoryMiB() + "M", g.accelerator(),
                        g.detached() ? "detached" : "attached", s.ssh() == null ? "-" : s.ssh(),
                        s.vnc() == null ? "-" : s.vnc(), s.uptimeText()));
            }
        }
        out.flush();
        return ExitCodes.OK;
    }
}
