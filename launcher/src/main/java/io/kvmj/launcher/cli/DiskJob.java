package io.kvmj.launcher.cli;

import io.kvmj.core.image.ByteSize;
import io.kvmj.launcher.storage.JobCancelledException;
import io.kvmj.launcher.storage.JobProgressListener;
import io.kvmj.launcher.storage.LiveStorage;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * picocli {@code @Mixin} of the {@code kvmj disk} subcommands that run a QEMU block job: {@code --job-timeout},
 * {@code --speed}, the job's progress display on stderr, and cancelling the job when the CLI is interrupted.
 *
 * <p>While the job runs a JVM shutdown hook is registered (and removed afterwards). On SIGINT (Ctrl-C), SIGTERM or
 * SIGHUP it asks {@link LiveStorage#requestCancel()} to cancel the job, waits up to {@link #CANCEL_WAIT} for the
 * command to finish (job concluded, dismissed, partial files removed) and prints one line on stderr: the job was
 * cancelled, or how to cancel it by hand. The JVM then exits with 128 + the signal number (130 for SIGINT).
 */
final class DiskJob {
    /** How long an interrupted command waits for its job to be cancelled and dismissed. */
    static final Duration CANCEL_WAIT = Duration.ofSeconds(15);

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

    @Option(names = "--speed", paramLabel = "RATE", converter = ImgSupport.SizeConverter.class,
        description = "Limit the job's copy rate to RATE bytes per second (suffixes K, M, G; default unlimited).")
    ByteSize speed;

    /**
     * Runs {@code job} on {@code storage} bounded by {@code --job-timeout}, with progress labelled
     * {@code "<subcommand> <driveId>"}; an interrupt cancels it (see the class comment). When the job fails or is
     * cancelled: ends the progress display, runs {@code onFailure} (e.g. removes a partial file) and rethrows.
     */
    void run(LiveStorage storage, String guest, String driveId, Job job, Runnable onFailure) {
        JobProgressPrinter progress = JobProgressPrinter.forConsole(spec.commandLine().getErr(),
            spec.name() + " " + driveId);
        storage.jobTimeout(Duration.ofSeconds(jobTimeout)).jobSpeed(speed == null ? 0 : speed.bytes());
        CompletableFuture<RuntimeException> ended = new CompletableFuture<>();
        Thread hook = new Thread(() -> cancelOnExit(storage, guest, ended), "kvmj-job-cancel");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            job.run(storage, progress);
            progress.done();
            ended.complete(null);
        } catch (RuntimeException e) {
            progress.failed();
            try {
                onFailure.run();
            } finally {
                ended.complete(e);
            }
            throw e;
        } finally {
            ended.complete(null);
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running: it reports
            }
        }
    }

    /** The shutdown hook: cancels the job and says on stderr how that went. */
    private void cancelOnExit(LiveStorage storage, String guest, CompletableFuture<RuntimeException> ended) {
        Optional<String> id = storage.requestCancel();
        PrintWriter err = spec.commandLine().getErr();
        String prefix = spec.qualifiedName() + ": guest " + guest + ": interrupted: ";
        String job = id.map(j -> "job '" + j + "'").orElse("the job");
        String recovery = id.map(j -> "; check and clean up with: kvmj qmp " + guest + " query-jobs; kvmj qmp "
            + guest + " job-cancel '{\"id\":\"" + j + "\"}'; kvmj qmp " + guest + " job-dismiss '{\"id\":\"" + j
            + "\"}'").orElse("");
        String line;
        try {
            RuntimeException outcome = ended.get(CANCEL_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            if (outcome instanceof JobCancelledException c) {
                line = c.started() ? "cancelled " + job + " (QEMU: " + c.qemuError() + ")"
                    : "stopped before the QEMU job started; nothing to cancel";
            } else if (outcome == null) {
                line = job + " had already completed; nothing to cancel";
            } else {
                line = "cancelling " + job + " failed: " + outcome.getMessage() + recovery;
            }
        } catch (TimeoutException e) {
            line = "cancelling " + job + " failed: it did not end within " + CANCEL_WAIT.toSeconds() + " s"
                + recovery;
        } catch (InterruptedException | ExecutionException e) {
            line = "cancelling " + job + " failed: " + e + recovery;
        }
        err.println(prefix + line);
        err.flush();
    }
}
