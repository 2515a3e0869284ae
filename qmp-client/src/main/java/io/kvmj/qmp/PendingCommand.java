package io.kvmj.qmp;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;

/**
 * One command awaiting its reply, keyed by id in the {@link PendingTable}. {@code direct} commands belong to a
 * blocking {@code call}: their future is never handed out, so completing it on the I/O thread runs no user code
 * and only wakes the blocked caller (one thread hand-off less).
 */
final class PendingCommand {
    final String id;
    /** Order of sending (QEMU answers in-band commands in this order). */
    final long seq;
    final boolean oob;
    final String command;
    final JsonNode arguments;
    final Duration timeout;
    final boolean quit;
    final boolean direct;
    final CompletableFuture<JsonNode> future = new CompletableFuture<>();
    volatile Future<?> timer;

    PendingCommand(String id, long seq, String command, JsonNode arguments, Duration timeout, boolean direct,
            boolean oob) {
        this.id = id;
        this.seq = seq;
        this.oob = oob;
        this.command = command;
        this.arguments = arguments;
        this.timeout = timeout;
        this.quit = "quit".equals(command);
        this.direct = direct;
    }

    /** An entry that never reached the table: its future has already failed with {@code failure}. */
    static PendingCommand failed(String command, JsonNode arguments, Throwable failure) {
        PendingCommand p = new PendingCommand(null, -1, command, arguments, Duration.ZERO, true, false);
        p.future.completeExceptionally(failure);
        return p;
    }

    void cancelTimer() {
        Future<?> t = timer;
        if (t != null) {
            t.cancel(false);
        }
    }
}
