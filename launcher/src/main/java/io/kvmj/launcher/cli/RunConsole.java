package io.kvmj.launcher.cli;

import io.kvmj.launcher.Guest;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;

/**
 * The serial console of a foreground {@code kvmj run --console}: output to stdout, stdin to the guest through the same
 * {@link ConsoleInput} as {@code kvmj console} (raw terminal, Ctrl-] leaves the console; the guest keeps running in
 * the foreground, and Ctrl-C, the terminal's again, shuts it down).
 *
 * <pre>{@code
 * Thread out = RunConsole.output(guest);
 * try (ConsoleInput in = RunConsole.input(guest, err)) { ... wait for the guest ... }
 * }</pre>
 */
final class RunConsole {
    private RunConsole() {}

    /**
     * Stdin to the guest through {@link ConsoleInput} (the same raw terminal and Ctrl-] escape as
     * {@code kvmj console}); on Ctrl-] says that the guest goes on and how to stop it.
     */
    static ConsoleInput input(Guest g, PrintWriter err) {
        ConsoleInput in = ConsoleInput.start(System.in, g::send);
        err.print("kvmj: attached to " + g.name() + "'s console (escape character is ^])" + in.newline());
        err.flush();
        Thread watch = new Thread(() -> {
            try {
                in.join(0);
            } catch (InterruptedException e) {
                return;
            }
            if (in.end() == ConsoleInput.End.ESCAPE && g.isAlive()) {
                err.println("\nkvmj: left the console of " + g.name() + "; the guest keeps running in the foreground: "
                        + "Ctrl-C shuts it down");
                err.flush();
            }
        }, "kvmj-console-escape");
        watch.setDaemon(true);
        watch.start();
        return in;
    }

    /** Guest console output to stdout, from boot on, on a daemon thread (ends with the guest). */
    static Thread output(Guest g) {
        Thread pump = new Thread(() -> {
            try (InputStream in = g.consoleStream()) {
                byte[] buf = new byte[8192];
                int n;
                while ((n = in.read(buf)) >= 0) {
                    System.out.write(buf, 0, n);
                    System.out.flush();
                }
            } catch (IOException ignored) {
                // guest gone
            }
        }, "kvmj-console-out");
        pump.setDaemon(true);
        pump.start();
        return pump;
    }

}
