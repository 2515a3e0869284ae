package io.kvmj.qmp;

import java.util.EnumSet;
import java.util.Set;

/**
 * The life cycle of one {@link QmpClient} connection, one state at a time (like qemu.qmp's {@code Runstate}); every
 * change goes through {@link #canMoveTo(QmpState)}, so no step is taken twice or backwards.
 *
 * <pre>
 * CONNECTING → GREETING → NEGOTIATING → READY → QUITTING
 *      │           │            │          │        │
 *      │           └──── FAILED ┘          │        │      (handshake failed: the channel is being closed)
 *      └───────────────→ CLOSING ←─────────┴────────┘      (close() called)
 *   every state but CLOSED → CLOSED                        (connection gone; resources released exactly once)
 * </pre>
 *
 * Commands are accepted in {@code NEGOTIATING} (only kvmj's own {@code qmp_capabilities}), {@code READY} and
 * {@code QUITTING}; elsewhere a call fails with {@link QmpStateException}.
 */
public enum QmpState {
    /** Connecting or retrying; no channel yet. */
    CONNECTING,
    /** Channel up, waiting for QEMU's greeting. */
    GREETING,
    /** Greeting received, {@code qmp_capabilities} in flight. */
    NEGOTIATING,
    /** Session negotiated: commands and events flow. */
    READY,
    /** {@code quit} was sent: QEMU closing the connection is the normal end. */
    QUITTING,
    /** The handshake failed (timeout, bad greeting, refused capabilities); the channel is being closed. */
    FAILED,
    /** {@link QmpClient#close()} was called; the channel is being closed. */
    CLOSING,
    /** The connection is gone (or was never made); pending calls have failed and resources are released. */
    CLOSED;

    /** Whether the session is not negotiated yet (the ready future is still open while in these states). */
    public boolean beforeReady() {
        return this == CONNECTING || this == GREETING || this == NEGOTIATING;
    }

    /** Whether commands may be sent in this state. */
    public boolean acceptsCommands() {
        return this == NEGOTIATING || this == READY || this == QUITTING;
    }

    /** Whether {@code next} is a legal next state. */
    public boolean canMoveTo(QmpState next) {
        return next(this).contains(next);
    }

    private static Set<QmpState> next(QmpState s) {
        return switch (s) {
            case CONNECTING -> EnumSet.of(GREETING, FAILED, CLOSING, CLOSED);
            case GREETING -> EnumSet.of(NEGOTIATING, FAILED, CLOSING, CLOSED);
            case NEGOTIATING -> EnumSet.of(READY, FAILED, CLOSING, CLOSED);
            case READY -> EnumSet.of(QUITTING, CLOSING, CLOSED);
            case QUITTING -> EnumSet.of(CLOSING, CLOSED);
            case FAILED, CLOSING -> EnumSet.of(CLOSED);
            case CLOSED -> EnumSet.noneOf(QmpState.class);
        };
    }
}
