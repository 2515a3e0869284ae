package io.kvmj.qmp;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;

/** One command awaiting its reply, keyed by id in the client's pending map. */
final class PendingCommand {
    final String id;
    final String command;
    final JsonNode arguments;
    final Duration timeout;
    final boolean quit;
    final CompletableFuture<JsonNode> future = new CompletableFuture<>();
    volatile Future<?> timer;

    PendingCommand(String id, String command, JsonNode arguments, Duration timeout) {
        this.id = id;
        this.command = command;
        this.arguments = arguments;
        this.timeout = timeout;
        this.quit = "quit".equals(command);
    }

    void cancelTimer() {
        Future<?> t = timer;
        if (t != null) {
            t.cancel(false);
        }
    }
}
