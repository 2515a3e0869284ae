package io.kvmj.launcher.storage;

import io.kvmj.qmp.EventWaiter;
import io.kvmj.qmp.QmpCommand;
import io.kvmj.qmp.QmpErrorException;
import io.kvmj.qmp.QmpMonitor;
import io.kvmj.qmp.command.JobCancel;
import io.kvmj.qmp.command.JobComplete;
import io.kvmj.qmp.command.JobDismiss;
import io.kvmj.qmp.command.QueryJobs;
import io.kvmj.qmp.model.JobInfo;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one QEMU job to its end: arms a wait for the job's {@code JOB_STATUS_CHANGE} to {@code concluded}
 * before starting it, polls {@code query-jobs} for progress, sends {@code job-complete} when the job is
 * {@code ready} (mirror/active commit), then reads the final error and {@code job-dismiss}es the job.
 * Jobs must be started with {@code auto-dismiss: false} so the error can be read after the end.
 *
 * <p>{@link #requestCancel()} (any thread) makes the running thread send {@code job-cancel} instead of
 * {@code job-complete}; it still waits for {@code concluded} and dismisses, so only one thread ever drives the job.
 * QEMU's {@code job-cancel} is a forced cancel (as {@code block-job-cancel force=true}): a mirror or active commit
 * in {@code ready} is abandoned without a pivot, not completed as a soft {@code block-job-cancel} would.
 */
final class BlockJobRunner {
    private static final Logger LOG = LoggerFactory.getLogger(BlockJobRunner.class);
    private static final long POLL_MS = 100;

    private final QmpMonitor qmp;
    private volatile boolean cancelRequested;
    private String currentJob;

    BlockJobRunner(QmpMonitor qmp) {
        this.qmp = qmp;
    }

    /**
     * Asks the job running now (or the next one to start) to be cancelled; returns at once with the id of the job
     * running now, or null when none is (then none will start).
     */
    synchronized String requestCancel() {
        cancelRequested = true;
        return currentJob;
    }

    private synchronized void begin(String operation, String jobId) {
        if (cancelRequested) {
            throw new JobCancelledException(operation, null, "cancelled before the job started");
        }
        currentJob = jobId;
    }

    private synchronized void end() {
        currentJob = null;
    }

    /**
     * Starts {@code command} (which must create job {@code jobId}, with {@code auto-dismiss: false}) and waits
     * until the job is gone.
     */
    void run(String operation, String jobId, QmpCommand<Void> command, JobProgressListener listener,
             Duration timeout) {
        begin(operation, jobId);
        try {
            drive(operation, jobId, command, listener, timeout);
        } finally {
            end();
        }
    }

    private void drive(String operation, String jobId, QmpCommand<Void> command, JobProgressListener listener,
                       Duration timeout) {
        EventWaiter concluded = qmp.awaitEvent("JOB_STATUS_CHANGE",
            e -> jobId.equals(e.dataText("id")) && "concluded".equals(e.dataText("status")), timeout);
        try {
            qmp.call(command);
        } catch (QmpErrorException e) {
            concluded.close();
            throw new BlockJobException(operation, jobId, e.description(), e);
        }
        boolean completeSent = false;
        boolean cancelSent = false;
        long deadline = System.nanoTime() + timeout.toNanos();
        JobInfo last = null;
        while (true) {
            Optional<JobInfo> info = find(jobId);
            if (info.isPresent()) {
                last = info.get();
                listener.progress(new JobProgress(jobId, last.type(), last.status(), last.currentProgress(),
                    last.totalProgress()));
                if (cancelRequested && !cancelSent && !"concluded".equals(last.status())) {
                    cancelSent = true;
                    cancel(jobId, last.status());
                }
                if ("ready".equals(last.status()) && !completeSent && !cancelSent) {
                    LOG.debug("job {} ready, completing", jobId);
                    qmp.call(new JobComplete(jobId));
                    completeSent = true;
                }
                if ("concluded".equals(last.status())) {
                    break;
                }
            } else if (last != null) {
                throw new BlockJobException(operation, jobId, "job vanished before it concluded (auto-dismiss?)", null);
            }
            try {
                concluded.future().get(POLL_MS, TimeUnit.MILLISECONDS);
            } catch (TimeoutException poll) {
                if (System.nanoTime() > deadline) {
                    throw new BlockJobException(operation, jobId, "not finished within " + timeout
                        + " (last status " + (last == null ? "unknown" : last.status()) + ")", null);
                }
            } catch (ExecutionException e) {
                throw new BlockJobException(operation, jobId, "no end of job seen: " + e.getCause(), e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new BlockJobException(operation, jobId, "interrupted", e);
            }
        }
        qmp.call(new JobDismiss(jobId));
        listener.progress(new JobProgress(jobId, last.type(), "null", last.currentProgress(), last.totalProgress()));
        if (last.error() != null) {
            if (cancelSent) {
                throw new JobCancelledException(operation, jobId, last.error());
            }
            throw new BlockJobException(operation, jobId, last.error(), null);
        }
    }

    private void cancel(String jobId, String status) {
        LOG.debug("cancelling job {} ({})", jobId, status);
        try {
            qmp.call(new JobCancel(jobId));
        } catch (QmpErrorException e) {
            // e.g. the job reached pending/concluded meanwhile: it ends by itself and is dismissed below
            LOG.debug("job-cancel {}: {}", jobId, e.description());
        }
    }

    private Optional<JobInfo> find(String jobId) {
        return qmp.call(new QueryJobs()).stream().filter(j -> jobId.equals(j.id())).findFirst();
    }
}
