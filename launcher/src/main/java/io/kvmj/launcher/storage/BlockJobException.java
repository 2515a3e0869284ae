package io.kvmj.launcher.storage;

/**
 * A live block operation failed: QEMU refused to start it, the job ended with an error, or it did not
 * finish in time. Carries the job id, the operation and QEMU's own error text.
 */
public class BlockJobException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String jobId;
    private final String operation;
    private final String qemuError;

    public BlockJobException(String operation, String jobId, String qemuError, Throwable cause) {
        super(operation + (jobId == null ? "" : " job '" + jobId + "'") + " failed: " + qemuError, cause);
        this.jobId = jobId;
        this.operation = operation;
        this.qemuError = qemuError;
    }

    /** The QEMU job id, or null if the failure was not in a job. */
    public String jobId() {
        return jobId;
    }

    /** The QMP operation, e.g. {@code block-commit}. */
    public String operation() {
        return operation;
    }

    /** QEMU's error description. */
    public String qemuError() {
        return qemuError;
    }
}
