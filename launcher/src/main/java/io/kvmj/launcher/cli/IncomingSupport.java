package io.kvmj.launcher.cli;

import io.kvmj.launcher.Guest;
import io.kvmj.launcher.migrate.LiveMigration;
import io.kvmj.qmp.QmpException;
import java.io.PrintWriter;

/** {@code kvmj run --incoming URI}: the launched QEMU (started with {@code -incoming defer}) listens on URI. */
final class IncomingSupport {
    private IncomingSupport() {
    }

    /**
     * Starts listening (with {@code postcopy-ram} enabled when the host allows it, so the sender may use
     * {@code --postcopy}); on a bad URI prints one line, stops the guest and returns false.
     */
    static boolean accept(Guest g, String uri, PrintWriter err) {
        try {
            try {
                LiveMigration.accept(g.qmp(), uri, true);
            } catch (QmpException e) {
                if (!String.valueOf(e.getMessage()).contains("ostcopy")) {
                    throw e;
                }
                LiveMigration.accept(g.qmp(), uri, false); // no userfaultfd here: pre-copy only
            }
            err.println("kvmj run: guest " + g.name() + " waits for a migration on " + uri);
            err.flush();
            return true;
        } catch (QmpException e) {
            err.println("kvmj run: --incoming " + uri + ": " + e.getMessage());
            err.flush();
            g.kill();
            g.close();
            return false;
        }
    }
}
