package io.kvmj.qmp;

/** Handle of an event listener registration; {@link #close()} unsubscribes (idempotent). */
@FunctionalInterface
public interface QmpSubscription extends AutoCloseable {
    @Override
    void close();
}
