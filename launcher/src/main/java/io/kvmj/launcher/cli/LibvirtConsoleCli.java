package io.kvmj.launcher.cli;

import io.kvmj.launcher.GuestException;
import io.kvmj.launcher.backend.LibvirtBackend;
import io.kvmj.launcher.backend.BackendConsole;
import java.io.PrintWriter;
import java.time.Duration;

/**
 * The libvirt form of {@code console} ({@code kvmj --connect URI console NAME}): the domain's serial console through
 * libvirt's console stream ({@link io.kvmj.launcher.backend.LibvirtConsole}, as {@code virsh console}), with the keyboard side of the local
 * form ({@link ConsoleInput}: raw terminal on a tty, Ctrl-] or end of input leaves, the guest keeps running). A
 * console another client holds is refused ("console busy", exit 1); {@code --replay} (kvmj's console log) has no
 * libvirt form (exit 2).
 */
final class LibvirtConsoleCli {
    private LibvirtConsoleCli() {
    }

    static int console(ConsoleCommand c, String uri) throws InterruptedException {
        PrintWriter err = c.spec.commandLine().getErr();
        if (c.replay) {
            err.println("kvmj console: --replay is not available with --connect (libvirt keeps no console log for kvmj)");
            err.flush();
            return ExitCodes.USAGE;
        }
        try (LibvirtBackend lv = LibvirtBackend.connect(uri);
             BackendConsole con = lv.console(c.name, bytes -> {
                 System.out.write(bytes, 0, bytes.length);
                 System.out.flush();
             });
             ConsoleInput input = ConsoleInput.start(System.in, con::send)) {
            err.print("kvmj: connected to " + c.name + "'s console under " + uri + " (escape character is ^])"
                    + input.newline());
            err.flush();
            while (!con.awaitClosed(Duration.ofSeconds(1))) {
                if (!input.active()) {
                    return ExitCodes.OK; // stdin ended or Ctrl-]: detach, the guest keeps running
                }
            }
            // the stream ended: the domain stopped (or was saved); as the local form when the guest exits
            err.print("kvmj: " + c.name + "'s console closed" + (con.failure() == null ? "" : ": " + con.failure())
                    + input.newline());
            err.flush();
            return ExitCodes.OK;
        } catch (GuestException e) {
            err.println("kvmj console: " + e.getMessage());
            err.flush();
            return ExitCodes.FAILED;
        }
    }
}
