package io.kvmj.launcher.cli;

import io.kvmj.launcher.storage.JobProgress;
import io.kvmj.launcher.storage.JobProgressListener;
import java.io.PrintWriter;

/** Shows a QEMU block job's progress with {@link ProgressPrinter}: a bar on a terminal, plain lines otherwise. */
final class JobProgressPrinter implements JobProgressListener {
    private final ProgressPrinter printer;

    JobProgressPrinter(ProgressPrinter printer) {
        this.printer = printer;
    }

    /** A printer for the console if there is one. */
    static JobProgressPrinter forConsole(PrintWriter err, String label) {
        return new JobProgressPrinter(ProgressPrinter.forConsole(err, label));
    }

    @Override
    public void progress(JobProgress p) {
        printer.progress(p.percent());
    }

    /** The job finished: shows 100 % (a job with nothing to copy reports 0 of 0). */
    void done() {
        printer.progress(100);
        printer.finish();
    }

    /** The job failed: ends a half-drawn bar so the error starts on its own line. */
    void failed() {
        printer.finish();
    }
}
