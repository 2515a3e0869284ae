package io.kvmj.qmp;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Commands in flight, keyed by their unique id: replies are routed by id (in any order), a reply with an unknown
 * id is logged and dropped, a late reply after a timeout is dropped quietly, and on disconnect every entry fails.
 * Each entry is removed exactly once (whoever removes it completes it), so completion races are harmless.
 * Futures settled by the replies of one socket read go to the completion executor as one task at the end of the
 * read ({@link #flushReplies()}), not one task each: a burst of pipelined replies costs one hand-off.
 */
final class PendingTable {
    private static final Logger LOG = LoggerFactory.getLogger(PendingTable.class);
    private static final int MAX_REMEMBERED_TIMEOUTS = 10_000;

    private final ConcurrentHashMap<String, PendingCommand> map = new ConcurrentHashMap<>();
    private final Set<String> timedOut = ConcurrentHashMap.newKeySet();
    private final AtomicLong unknown = new AtomicLong();
    private final Executor completion;
    private final String label;
    /** Settlements of futures by replies of the current read; I/O thread only. */
    private final List<Runnable> replies = new ArrayList<>();

    PendingTable(String label, Executor completion) {
        this.label = label;
        this.completion = completion;
    }

    void put(PendingCommand p) {
        map.put(p.id, p);
    }

    int size() {
        return map.size();
    }

    long unknownReplies() {
        return unknown.get();
    }

    /** I/O thread: a message with {@code return} or {@code error}. */
    void route(JsonNode msg) {
        JsonNode idNode = msg.get("id");
        if (idNode == null) {
            unknown.incrementAndGet();
            LOG.warn("[{}] reply without id dropped: {}", label, QmpGreeting.abbreviate(msg));
            return;
        }
        String id = idNode.asText();
        PendingCommand p = map.remove(id);
        if (p == null) {
            if (timedOut.remove(id)) {
                LOG.debug("[{}] late reply for timed-out command id {} dropped", label, id);
            } else {
                unknown.incrementAndGet();
                LOG.warn("[{}] reply with unknown id {} dropped", label, idNode);
            }
            return;
        }
        p.cancelTimer();
        JsonNode err = msg.get("error");
        JsonNode value = msg.get("return");
        QmpErrorException e = err == null ? null : QmpErrorException.of(err, p.command, p.arguments);
        Runnable settle = e != null ? () -> p.future.completeExceptionally(e) : () -> p.future.complete(value);
        if (p.direct) {
            settle.run();   // a blocking call's future runs no user code: wake the caller now
        } else {
            replies.add(settle);
        }
    }

    /**
     * I/O thread, at the end of each read: hands the futures settled by its replies to the completion executor in
     * one task (on this thread when the executor refuses).
     */
    void flushReplies() {
        if (replies.isEmpty()) {
            return;
        }
        Runnable[] batch = replies.toArray(new Runnable[0]);
        replies.clear();
        Runnable all = () -> {
            for (Runnable r : batch) {
                r.run();
            }
        };
        try {
            completion.execute(all);
        } catch (RejectedExecutionException e) {
            all.run();
        }
    }

    /**
     * I/O thread: an {@code error} without an {@code id}, QEMU's answer to a request it could not parse. QMP answers
     * in-band commands in order, so it belongs to the oldest in-band command still waiting, which fails at once with
     * a {@link QmpProtocolException}.
     */
    void failOldestInBand(JsonNode msg) {
        String desc = msg.path("error").path("desc").asText("");
        PendingCommand oldest = null;
        for (PendingCommand p : map.values()) {
            if (!p.oob && (oldest == null || p.seq < oldest.seq)) {
                oldest = p;
            }
        }
        if (oldest == null || map.remove(oldest.id) == null) {
            unknown.incrementAndGet();
            LOG.warn("[{}] error without id and no command waiting: {}", label, QmpGreeting.abbreviate(msg));
            return;
        }
        oldest.cancelTimer();
        fail(oldest, new QmpProtocolException(oldest.command + ": QEMU answered with an error without an id "
                + "(it could not parse the request): " + desc));
    }

    /** Timer on the I/O thread. */
    void timeout(String id) {
        PendingCommand p = map.remove(id);
        if (p == null) {
            return;
        }
        if (timedOut.size() >= MAX_REMEMBERED_TIMEOUTS) {
            timedOut.clear();
        }
        timedOut.add(id);
        LOG.debug("[{}] {} (id {}) timed out after {}", label, p.command, id, p.timeout);
        fail(p, new QmpTimeoutException(p.command + " got no reply", p.timeout));
    }

    /** QEMU's COMMAND_DROPPED event (queue full, old QEMU with oob). */
    void dropped(String id, String reason) {
        PendingCommand p = id == null ? null : map.remove(id);
        if (p != null) {
            p.cancelTimer();
            fail(p, new QmpException(p.command + ": QEMU dropped the command (" + reason + ")"));
        }
    }

    /** Connection gone or write failed: fails the entry; a {@code quit} counts as done. */
    void disconnect(String id, Throwable cause, String why) {
        PendingCommand p = map.remove(id);
        if (p == null) {
            return;
        }
        p.cancelTimer();
        if (p.quit) {
            complete(p, QmpJson.object());
        } else {
            fail(p, new QmpDisconnectedException(why, p.command, cause));
        }
    }

    void disconnectAll(Throwable cause, String why) {
        flushReplies();
        for (String id : map.keySet()) {
            disconnect(id, cause, why);
        }
    }

    private void complete(PendingCommand p, JsonNode value) {
        if (p.direct) {
            p.future.complete(value);
        } else {
            Futures.completeAsync(completion, p.future, value);
        }
    }

    private void fail(PendingCommand p, Throwable t) {
        if (p.direct) {
            p.future.completeExceptionally(t);
        } else {
            Futures.failAsync(completion, p.future, t);
        }
    }
}
