package io.kvmj.launcher.storage;

/** Receives progress of a block job, from the thread that runs the job. */
@FunctionalInterface
public interface JobProgressListener {
    /** A listener that ignores progress. */
    JobProgressListener NONE = p -> { };

    void progress(JobProgress progress);
}
