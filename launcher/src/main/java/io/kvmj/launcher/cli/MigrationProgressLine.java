package io.kvmj.launcher.cli;

import io.kvmj.launcher.migrate.MigrationListener;
import io.kvmj.launcher.migrate.MigrationProgress;
import java.io.PrintWriter;
import java.util.Locale;

/** {@code kvmj migrate}'s progress on a terminal: one redrawn line on stderr; nothing when not a terminal. */
final class MigrationProgressLine implements MigrationListener {
    private final PrintWriter err;
    private final boolean terminal;
    private final String label;
    private boolean drawn;

    MigrationProgressLine(PrintWriter err, boolean terminal, String label) {
        this.err = err;
        this.terminal = terminal;
        this.label = label;
    }

    @Override
    public void progress(MigrationProgress p) {
        if (!terminal) {
            return;
        }
        err.print("\r" + render(label, p) + "\u001b[K");
        err.flush();
        drawn = true;
    }

    static String render(String label, MigrationProgress p) {
        return String.format(Locale.ROOT, "%s: %s %5.1f%% sent %.1f MiB, left %.1f MiB, dirty %.1f MiB/s, pass %d%s",
                label, p.status(), p.percent(), p.transferredBytes() / 1048576.0, p.remainingBytes() / 1048576.0,
                p.dirtyBytesPerSecond() / 1048576.0, p.passes(),
                p.expectedDowntimeMs() == null ? "" : ", expected downtime " + p.expectedDowntimeMs() + " ms");
    }

    void finish() {
        if (drawn) {
            err.println();
            err.flush();
        }
    }
}
