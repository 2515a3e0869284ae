package io.kvmj.qmp;

/**
 * Receives QMP events. Listeners run on the client's single event-dispatch thread (never the I/O thread), one
 * event at a time in arrival order. A slow listener delays other listeners, never command replies; when the
 * bounded event queue is full, new events are dropped for listeners and counted (see
 * {@link QmpMonitor#droppedEvents()}). Exceptions thrown by a listener are logged and ignored.
 */
@FunctionalInterface
public interface QmpEventListener {
    void onEvent(QmpEvent event);
}
