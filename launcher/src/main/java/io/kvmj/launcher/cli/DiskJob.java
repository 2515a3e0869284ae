package io.kvmj.launcher.cli;

import io.kvmj.launcher.storage.JobProgressListener;
import io.kvmj.launcher.storage.LiveStorage;
import java.time.Duration;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * picocli {@code @Mixin} of the {@code kvmj disk} subcommands that run a QEMU block job: {@code --job-timeout} and the
 * job's progress display on stderr.
 */
final class DiskJob {
    /** A block job started on {@code storage}, reporting to {@code progress}. */
    @FunctionalInterface
    interface Job {
        void run(LiveStorage storage, JobProgressListener progress);
    }

    /** The subcommand this mixin is mixed into; its name labels the progress display. */
    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Option(names = "--job-timeout", defaultValue = "3600", paramLabel = "SECONDS",
        description = "Bound on the ${COMMAND-NAME} job (default ${DEFAULT-VALUE}).")
    long jobTimeout;

    /**
     * Runs {@code job} on {@code storage} bounded by {@code --job-timeout}, with progress labelled
     * {@code "<subcommand> <driveId>"}. When the job fails: ends the progress display, runs {@code onFailure}
     * (e.g. removes a partial file) and rethrows.
     */
    void run(LiveStorage storage, String driveId, Job job, Runnable onFailure) {
        JobProgressPrinter progress = JobProgressPrinter.forConsole(spec.commandLine().getErr(),
            spec.name() + " " + driveId);
        try {
            job.run(storage.jobTimeout(Duration.ofSeconds(jobTimeout)), progress);
        } catch (RuntimeException e) {
            progress.failed();
            onFailure.run();
            throw e;
        }
        progress.done();
    }
}
