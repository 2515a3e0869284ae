package io.kvmj.launcher;

/** How a guest's QEMU process ended. */
public enum HowEnded {
    /** The guest powered off (after ACPI {@code system_powerdown}, or on its own), QEMU exited cleanly. */
    POWERED_OFF,
    /** QEMU was asked to exit with the QMP {@code quit} command: a hard stop for the guest (page cache lost). */
    QUIT,
    /** QEMU was stopped with SIGTERM. */
    TERMINATED,
    /** QEMU was stopped with SIGKILL. */
    KILLED,
    /** QEMU exited on its own with status 0 and no guest power-off was seen (for example a reset with -no-reboot). */
    EXITED,
    /** QEMU exited on its own with a non-zero status or by a signal nobody in kvmj sent. */
    CRASHED,
    /** QEMU did not exit even after SIGKILL within the bounds (should not happen; a kernel-level hang). */
    STILL_RUNNING
}
