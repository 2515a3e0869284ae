package io.kvmj.qmp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kvmj.qmp.command.DeviceDel;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;

/**
 * A negotiated QMP session, independent of the transport (go-qemu's monitor idea). {@link QmpClient} is the Netty
 * implementation. All methods are thread-safe. Asynchronous methods never block; their futures complete
 * exceptionally with {@link QmpErrorException} (QEMU error reply), {@link QmpTimeoutException},
 * {@link QmpDisconnectedException} or {@link QmpProtocolException}. Blocking {@code call} methods throw those
 * same exceptions unwrapped. Do not call blocking methods from the I/O thread.
 */
public interface QmpMonitor extends AutoCloseable {

    /** The greeting QEMU sent, with the capabilities negotiated. */
    QmpGreeting greeting();

    /**
     * Sends {@code command} with {@code arguments} (a JSON object, or {@code null} for none).
     *
     * @param timeout per-command timeout; {@code null} uses the default, {@link Duration#ZERO} none
     * @return the {@code return} value of the reply
     */
    CompletableFuture<JsonNode> execute(String command, JsonNode arguments, Duration timeout);

    /** {@link #execute(String, JsonNode, Duration)} with the default timeout. */
    default CompletableFuture<JsonNode> execute(String command, JsonNode arguments) {
        return execute(command, arguments, null);
    }

    /** Sends a command without arguments. */
    default CompletableFuture<JsonNode> execute(String command) {
        return execute(command, null, null);
    }

    /**
     * Sends the command out-of-band ({@code exec-oob}); QEMU runs it immediately even while in-band commands are
     * queued. Fails with {@link QmpException} if {@code oob} was not negotiated. Only commands marked
     * {@code allow-oob} in the schema accept this.
     */
    CompletableFuture<JsonNode> executeOob(String command, JsonNode arguments, Duration timeout);

    /** Sends a typed command and maps the reply to its response type. */
    default <R> CompletableFuture<R> execute(QmpCommand<R> command, Duration timeout) {
        ObjectNode args;
        try {
            args = QmpJson.toArguments(command.arguments());
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(
                    new QmpException("cannot serialise arguments of " + command.name() + ": " + e.getMessage(), e));
        }
        return execute(command.name(), args, timeout)
                .thenApply(json -> QmpJson.convert(json, command.responseType(), command.name()));
    }

    /** Sends a typed command with the default timeout. */
    default <R> CompletableFuture<R> execute(QmpCommand<R> command) {
        return execute(command, null);
    }

    /**
     * Blocking {@link #execute(String, JsonNode, Duration)}: waits at most the command timeout.
     *
     * @throws QmpErrorException QEMU's error reply; likewise the other {@link QmpException}s, unwrapped
     */
    default JsonNode call(String command, JsonNode arguments, Duration timeout) {
        return Futures.await(execute(command, arguments, timeout));
    }

    /** Blocking call with the default timeout. */
    default JsonNode call(String command, JsonNode arguments) {
        return call(command, arguments, null);
    }

    /** Blocking call without arguments. */
    default JsonNode call(String command) {
        return call(command, null, null);
    }

    /** Blocking typed call; the reply is mapped on the calling thread. */
    default <R> R call(QmpCommand<R> command, Duration timeout) {
        ObjectNode args;
        try {
            args = QmpJson.toArguments(command.arguments());
        } catch (RuntimeException e) {
            throw new QmpException("cannot serialise arguments of " + command.name() + ": " + e.getMessage(), e);
        }
        return QmpJson.convert(call(command.name(), args, timeout), command.responseType(), command.name());
    }

    /** Blocking typed call with the default timeout. */
    default <R> R call(QmpCommand<R> command) {
        return call(command, null);
    }

    /** Registers a listener for every event. See {@link QmpEventListener} for threading and overflow. */
    QmpSubscription subscribe(QmpEventListener listener);

    /** Registers a listener for events named {@code eventName}. */
    QmpSubscription subscribe(String eventName, QmpEventListener listener);

    /**
     * Arms a one-shot wait for the next event named {@code eventName} matching {@code predicate} (may be
     * {@code null}), timing out {@code timeout} after arming. Arm it <em>before</em> sending the command that
     * causes the event.
     */
    EventWaiter awaitEvent(String eventName, Predicate<QmpEvent> predicate, Duration timeout);

    /** {@link #awaitEvent(String, Predicate, Duration)} for any event of that name. */
    default EventWaiter awaitEvent(String eventName, Duration timeout) {
        return awaitEvent(eventName, null, timeout);
    }

    /**
     * Sends {@code command} and completes with the first {@code eventName} event matching {@code predicate}; the
     * waiter is armed before the command is sent, so the event cannot be missed.
     */
    default CompletableFuture<QmpEvent> executeAndAwait(String command, JsonNode arguments, String eventName,
            Predicate<QmpEvent> predicate, Duration timeout) {
        EventWaiter w = awaitEvent(eventName, predicate, timeout);
        return execute(command, arguments).whenComplete((r, t) -> {
            if (t != null) {
                w.close();
            }
        }).thenCompose(r -> w.future());
    }

    /** {@code device_del} then waits for its {@code DEVICE_DELETED} event (guest cooperation may be needed). */
    default CompletableFuture<QmpEvent> deviceDel(String id, Duration timeout) {
        DeviceDel cmd = new DeviceDel(id);
        return executeAndAwait(cmd.name(), QmpJson.toArguments(cmd.arguments()), "DEVICE_DELETED",
            e -> id.equals(e.dataText("device")), timeout);
    }

    /** The {@code query-qmp-schema} introspection of this QEMU, fetched once and cached. */
    CompletableFuture<QmpSchema> schema();

    /** Blocking: does this QEMU know the command? */
    default boolean hasCommand(String command) {
        return Futures.await(schema()).hasCommand(command);
    }

    /** Blocking: does this QEMU's {@code command} accept the argument {@code argument}? */
    default boolean hasArgument(String command, String argument) {
        return Futures.await(schema()).hasArgument(command, argument);
    }

    /** Events dropped for listeners because the bounded queue was full. */
    long droppedEvents();

    /** True until the connection closed. */
    boolean isOpen();

    /**
     * Completes normally when the session ended normally ({@link #close()}, or {@code quit} followed by QEMU's
     * disconnect), exceptionally with {@link QmpDisconnectedException} on unexpected loss.
     */
    CompletableFuture<Void> closeFuture();

    /** Closes the connection, fails pending commands, and releases threads. Idempotent; never throws. */
    @Override
    void close();
}
