package io.kvmj.core.model;

/** Host AIO engine for file/host_device nodes; {@code native} needs {@code cache.direct=on}. */
public enum AioMode {
    THREADS("threads"), NATIVE("native"), IO_URING("io_uring");

    private final String qemuName;

    AioMode(String qemuName) { this.qemuName = qemuName; }

    public String qemuName() { return qemuName; }
}
