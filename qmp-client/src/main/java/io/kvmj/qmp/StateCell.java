package io.kvmj.qmp;

import java.util.concurrent.atomic.AtomicReference;

/** The one {@link QmpState} of a client, changed only by the legal steps of {@link QmpState#canMoveTo}. */
final class StateCell {
    private final AtomicReference<QmpState> state = new AtomicReference<>(QmpState.CONNECTING);

    QmpState get() {
        return state.get();
    }

    /** Moves to {@code to} if that is a legal step now; returns the state left, or null (nothing changed). */
    QmpState moveTo(QmpState to) {
        while (true) {
            QmpState from = state.get();
            if (!from.canMoveTo(to)) {
                return null;
            }
            if (state.compareAndSet(from, to)) {
                return from;
            }
        }
    }
}
