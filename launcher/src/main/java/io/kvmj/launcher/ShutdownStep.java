package io.kvmj.launcher;

/** One request kvmj sent to stop a guest, as recorded in {@link ShutdownResult#steps()}. */
public enum ShutdownStep {
    /** QMP {@code system_powerdown} (ACPI power button). */
    SYSTEM_POWERDOWN,
    /** QMP {@code quit}. */
    QUIT,
    /** SIGTERM to QEMU. */
    SIGTERM,
    /** SIGKILL to QEMU. */
    SIGKILL
}
