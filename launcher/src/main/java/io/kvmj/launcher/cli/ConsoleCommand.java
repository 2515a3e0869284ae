package io.kvmj.launcher.cli;

import io.kvmj.launcher.ConsoleConnection;
import io.kvmj.launcher.GuestException;
import io.kvmj.launcher.process.SocketBusyException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code kvmj console NAME}: attach the terminal to a guest's serial console. */
@Command(name = "console", mixinStandardHelpOptions = true,
        description = {"Attach this terminal to a running guest's serial console: guest output to stdout, stdin "
            + "to the guest. On a terminal the console is raw (Ctrl-C, Tab and arrows go to the guest); Ctrl-] "
            + "detaches, as does end of input; the guest keeps running. One client at a time: while another "
            + "client is attached, this is refused (\"console busy\").",
            "With --connect URI: the domain's console through libvirt's console stream (virsh console); "
                + "--replay is refused."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:detached, or the guest exited", "1:guest not running, console busy or unreachable",
            "2:bad usage"})
public final class ConsoleCommand implements Callable<Integer> {
    /** Ctrl-]: detaches (as in virsh console and telnet). */
    static final byte ESCAPE = ConsoleInput.ESCAPE;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "NAME", description = "Guest name.")
    String name;

    @Option(names = "--replay", description = "First print what the console logged so far.")
    boolean replay;

    @Override
    public Integer call() throws InterruptedException {
        String connect = ConnectOption.uri(spec);
        if (connect != null) {
            return LibvirtConsoleCli.console(this, connect);
        }
        PrintWriter err = spec.commandLine().getErr();
        GuestTarget t;
        try {
            t = GuestTarget.resolve(null, List.of(name), false);
        } catch (IllegalArgumentException | GuestException e) {
            err.println("kvmj console: " + e.getMessage());
            return ExitCodes.FAILED;
        }
        if (replay && t.guest.consoleLog() != null && Files.exists(t.guest.consoleLog())) {
            try {
                System.out.write(Files.readAllBytes(t.guest.consoleLog()));
                System.out.flush();
            } catch (IOException e) {
                err.println("kvmj console: cannot read " + t.guest.consoleLog() + ": " + e.getMessage());
            }
        }
        try (ConsoleConnection c = ConsoleConnection.connect(t.socket, Duration.ofSeconds(5), bytes -> {
            System.out.write(bytes, 0, bytes.length);
            System.out.flush();
        }, name); ConsoleInput input = ConsoleInput.start(System.in, c::send)) {
            err.print("kvmj: connected to " + name + "'s console (escape character is ^])" + input.newline());
            err.flush();
            while (!c.awaitClosed(Duration.ofSeconds(1))) {
                if (!input.active()) {
                    break; // stdin ended or Ctrl-]: detach
                }
            }
            return ExitCodes.OK;
        } catch (SocketBusyException e) {
            err.println("kvmj console: console busy: " + name + "'s console is attached by another client"
                    + (e.holder().isPresent() ? " (kvmj pid " + e.holder().getAsLong() + ")" : "")
                    + "; detach it (Ctrl-]) first");
            return ExitCodes.FAILED;
        } catch (IOException e) {
            err.println("kvmj console: " + e.getMessage());
            return ExitCodes.FAILED;
        }
    }
}
