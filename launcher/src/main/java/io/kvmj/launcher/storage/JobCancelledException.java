package io.kvmj.launcher.storage;

/**
 * A block job was stopped because {@link LiveStorage#requestCancel()} asked for it: either it was cancelled in QEMU
 * ({@code job-cancel}, then concluded and dismissed) or it was never started. {@link #jobId()} is null in the
 * second case.
 */
public class JobCancelledException extends BlockJobException {
    private static final long serialVersionUID = 1L;

    public JobCancelledException(String operation, String jobId, String qemuError) {
        super(operation, jobId, qemuError, null);
    }

    /** True when QEMU had a job that was cancelled, false when the job was never started. */
    public boolean started() {
        return jobId() != null;
    }
}
