package io.kvmj.launcher.cli;

import io.kvmj.launcher.ConsoleConnection;
import io.kvmj.launcher.GuestException;
import io.kvmj.launcher.process.SocketBusyException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Arrays;
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
            + "client is attached, this is refused (\"console busy\")."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:detached, or the guest exited", "1:guest not running, console busy or unreachable",
            "2:bad usage"})
public final class ConsoleCommand implements Callable<Integer> {
    /** Ctrl-]: detaches (as in virsh console and telnet). */
    static final byte ESCAPE = 0x1d;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "NAME", description = "Guest name.")
    String name;

    @Option(names = "--replay", description = "First print what the console logged so far.")
    boolean replay;

    @Override
    public Integer call() throws InterruptedException {
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
        }, name); RawTerminal raw = RawTerminal.enter()) {
            err.print("kvmj: connected to " + name + "'s console (escape character is ^])"
                    + (raw.active() ? "\r\n" : "\n"));
            err.flush();
            Thread input = new Thread(() -> pumpStdin(c), "kvmj-console-in");
            input.setDaemon(true);
            input.start();
            while (!c.awaitClosed(Duration.ofSeconds(1))) {
                if (!input.isAlive()) {
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

    private static void pumpStdin(ConsoleConnection c) {
        byte[] buf = new byte[1024];
        try {
            int n;
            while ((n = System.in.read(buf)) >= 0) {
                int esc = indexOf(buf, n, ESCAPE);
                int len = esc < 0 ? n : esc;
                if (len > 0) {
                    c.send(Arrays.copyOf(buf, len));
                }
                if (esc >= 0) {
                    return;
                }
            }
        } catch (IOException ignored) {
            // console closed
        }
    }

    static int indexOf(byte[] buf, int n, byte b) {
        for (int i = 0; i < n; i++) {
            if (buf[i] == b) {
                return i;
            }
        }
        return -1;
    }
}
