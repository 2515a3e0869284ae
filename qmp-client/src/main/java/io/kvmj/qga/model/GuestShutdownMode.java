package io.kvmj.qga.model;

/** The {@code mode} of {@code guest-shutdown}. */
public enum GuestShutdownMode {
    /** Power the guest off (ACPI-like, the default of the agent). */
    POWERDOWN,
    /** Reboot the guest. */
    REBOOT,
    /** Halt without powering off. */
    HALT;

    /** The wire name: {@code powerdown}, {@code reboot} or {@code halt}. */
    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
