package io.kvmj.launcher.cli;

import io.kvmj.core.image.ProgressListener;
import java.io.PrintWriter;
import java.util.Locale;

/**
 * Shows qemu-img progress on stderr: a redrawn bar on a terminal, otherwise one plain line per 10 %
 * step (so logs stay readable and stdout stays clean for {@code --json}).
 */
final class ProgressPrinter implements ProgressListener {
    private static final int WIDTH = 40;

    private final PrintWriter err;
    private final boolean terminal;
    private final String label;
    private int lastStep = -1;
    private boolean drawn;

    ProgressPrinter(PrintWriter err, boolean terminal, String label) {
        this.err = err;
        this.terminal = terminal;
        this.label = label;
    }

    /** A printer for the console if there is one. */
    static ProgressPrinter forConsole(PrintWriter err, String label) {
        return new ProgressPrinter(err, System.console() != null, label);
    }

    @Override
    public void progress(double percent) {
        if (terminal) {
            int filled = (int) Math.round(percent / 100 * WIDTH);
            err.print("\r" + label + " [" + "#".repeat(filled) + " ".repeat(WIDTH - filled) + "] "
                + String.format(Locale.ROOT, "%5.1f%%", percent));
            drawn = true;
            if (percent >= 100) {
                err.println();
                drawn = false;
            }
        } else {
            int step = (int) (percent / 10);
            if (step > lastStep) {
                lastStep = step;
                err.println(label + ": " + String.format(Locale.ROOT, "%.0f%%", percent));
            }
        }
        err.flush();
    }

    /** Ends a bar that did not reach 100 %. */
    void finish() {
        if (drawn) {
            err.println();
            err.flush();
        }
    }
}
