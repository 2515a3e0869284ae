package io.kvmj.launcher;

/** Coarse state of a launched guest, tracked from QMP events and the QEMU process. */
public enum GuestState {
    /** QEMU runs and its vCPUs run. */
    RUNNING,
    /** QEMU runs, vCPUs stopped (started with -S, {@code stop}, I/O error...). */
    PAUSED,
    /** A shutdown was requested or the guest powered off; QEMU has not exited yet. */
    SHUTTING_DOWN,
    /** QEMU has exited. */
    EXITED
}
