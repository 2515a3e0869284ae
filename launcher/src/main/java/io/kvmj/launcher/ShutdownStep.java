package io.kvmj.launcher;

/** One request kvmj sent to stop a guest, as recorded in {@link ShutdownResult#steps()}. */
public enum ShutdownStep {
    /** QMP {@code system_powerdown} (ACPI power button). */
    SYSTEM_POWERDOWN,
    /** The guest agent's {@code guest-shutdown} (mode powerdown), when the agent answered. */
    AGENT_SHUTDOWN,
    /** QMP {@code quit}. */
    QUIT,
    /** SIGTERM to QEMU. */
    SIGTERM,
    /** SIGKILL to QEMU. */
    SIGKILL
}
