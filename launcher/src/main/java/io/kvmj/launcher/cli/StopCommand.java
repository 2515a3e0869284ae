package io.kvmj.launcher.cli;

import io.kvmj.launcher.GuestException;
import io.kvmj.launcher.GuestRegistry;
import io.kvmj.launcher.ShutdownResult;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code kvmj stop NAME}: graceful (or forced) shutdown of a running guest. */
@Command(name = "stop", mixinStandardHelpOptions = true,
        description = {"Stop a running guest: ACPI power-down (up to --timeout), then the guest agent's "
            + "guest-shutdown when the agent answers (up to --timeout again), then QMP quit, SIGTERM and SIGKILL "
            + "(5 s each). --force skips the power-down and the agent; a machine without ACPI (-machine none, "
            + "acpi=off) skips the power-down. "
            + "The runtime directory is removed."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:stopped: the guest powered itself off (ACPI button or guest agent; JSON graceful:true), "
            + "or QEMU ended by quit (a hard stop for the guest, its unwritten page cache is lost; graceful:false)",
            "1:no such guest, or QEMU had to be terminated/killed", "2:bad usage"})
public final class StopCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "NAME", description = "Guest name.")
    String name;

    @Option(names = "--force", description = "Skip the ACPI power-down and the agent: quit, then SIGTERM, then SIGKILL.")
    boolean force;

    @Option(names = "--timeout", defaultValue = "30", paramLabel = "SECONDS", converter = Counts.NonNegative.class,
            description = "Bound on the ACPI power-down (default ${DEFAULT-VALUE}).")
    long timeout;

    @Option(names = "--json", description = "Print the result as JSON.")
    boolean json;

    @Override
    public Integer call() {
        String connect = ConnectOption.uri(spec);
        if (connect != null) {
            return LibvirtCli.stop(this, connect);
        }
        PrintWriter out = spec.commandLine().getOut();
        ShutdownResult r;
        java.util.Optional<io.kvmj.launcher.GuestInfo> exited;
        try {
            exited = GuestRegistry.findAny(name).filter(g -> !g.alive());
        } catch (IllegalArgumentException e) {
            spec.commandLine().getErr().println("kvmj stop: " + e.getMessage());
            return ExitCodes.USAGE;
        }
        if (exited.isPresent()) { // nothing to stop: say how it ended and remove what it left
            java.nio.file.Path dir = GuestRegistry.remove(name);
            if (json) {
                out.println(Json.pretty(Json.object().put("name", name).put("how", "EXITED").put("graceful", false)
                        .put("removed", dir.toString())));
            } else {
                out.printf("guest %s had already exited (exit status unknown); removed %s%n", name, dir);
            }
            out.flush();
            return ExitCodes.OK;
        }
        try {
            PrintWriter err = spec.commandLine().getErr();
            r = GuestRegistry.stop(name, Duration.ofSeconds(timeout), force, note -> {
                err.println("kvmj stop: " + name + ": " + note + "; --force skips the wait");
                err.flush();
            });
        } catch (GuestException e) {
            spec.commandLine().getErr().println("kvmj stop: " + e.getMessage());
            return ExitCodes.FAILED;
        }
        if (json) {
            out.println(Json.pretty(GuestJson.of(name, r)));
        } else {
            out.printf("guest %s stopped: %s%s%s (%d ms)%n", name, r.how().name().toLowerCase(Locale.ROOT),
                    r.steps().contains(io.kvmj.launcher.ShutdownStep.AGENT_SHUTDOWN) && r.graceful()
                            ? " through the guest agent" : "",
                    r.hard() ? " (a hard stop: the guest did not power itself off)"
                            : r.shutdownReason() == null ? "" : ", reason " + r.shutdownReason(), r.took().toMillis());
        }
        out.flush();
        return r.graceful() || r.how() == io.kvmj.launcher.HowEnded.QUIT || r.how() == io.kvmj.launcher.HowEnded.EXITED
                ? ExitCodes.OK : ExitCodes.FAILED;
    }
}
