package io.kvmj.launcher.cli;

import io.kvmj.launcher.ConsoleConnection;
import io.kvmj.launcher.GuestException;
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
            + "to the guest (line by line, as the terminal delivers it). Ctrl-C or end of input detaches; the guest "
            + "keeps running. QEMU serves one console client at a time."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:detached, or the guest exited", "1:guest not running or console unreachable",
            "2:bad usage"})
public final class ConsoleCommand implements Callable<Integer> {
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
        }, name)) {
            err.println("kvmj: connected to " + name + "'s console (Ctrl-C or end of input detaches)");
            err.flush();
            Thread input = new Thread(() -> pumpStdin(c), "kvmj-console-in");
            input.setDaemon(true);
            input.start();
            while (!c.awaitClosed(Duration.ofSeconds(1))) {
                if (!input.isAlive()) {
                    break; // stdin ended: detach
                }
            }
            return ExitCodes.OK;
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
                if (n > 0) {
                    c.send(java.util.Arrays.copyOf(buf, n));
                }
            }
        } catch (IOException ignored) {
            // console closed
        }
    }
}
