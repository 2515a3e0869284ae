package io.kvmj.qga.model;

import java.util.Locale;

/** Result of {@code guest-fsfreeze-status}. */
public enum FsFreezeStatus {
    /** Filesystems are writable. */
    THAWED,
    /** Filesystems are frozen (writes block until thawed). */
    FROZEN;

    /** Parses the agent's {@code thawed} / {@code frozen}. */
    public static FsFreezeStatus parse(String wire) {
        try {
            return valueOf(wire.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException("unknown fsfreeze status: " + wire, e);
        }
    }
}
