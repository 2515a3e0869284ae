package io.kvmj.qga;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kvmj.qmp.QmpJson;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent protocol under {@link QgaClient}: one command at a time (a fair lock), a lazy connection that is
 * re-opened after the peer went away, and {@code guest-sync-delimited} whenever the stream may hold something
 * stale (a new connection, a timeout, garbage, unsolicited bytes).
 *
 * <p>Synchronisation: the client sends {@code 0xFF} (the agent drops any half-parsed input and answers with a
 * parse error), then {@code guest-sync-delimited} with a random id. The agent writes {@code 0xFF} before that
 * reply. Everything up to a {@code 0xFF} is discarded, and after it only {@code {"return": id}} with our id ends
 * the handshake; replies to older syncs (other ids) are skipped the same way. Replies come in order, so nothing
 * sent before the handshake can be read after it.
 */
final class QgaTransport implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(QgaTransport.class);
    static final String SYNC = "guest-sync-delimited";

    private final Path socket;
    private final QgaClientOptions options;
    private final ReentrantLock lock = new ReentrantLock(true);
    private volatile QgaConnection conn;
    private volatile boolean closed;
    private boolean needsSync = true;
    private final AtomicLong connects = new AtomicLong();
    private final AtomicLong handshakes = new AtomicLong();
    private final AtomicLong discarded = new AtomicLong();

    QgaTransport(Path socket, QgaClientOptions options) {
        this.socket = socket;
        this.options = options;
    }

    Path socket() {
        return socket;
    }

    /** Connects now (without synchronising), so a missing socket is reported at once. */
    void connect() {
        lock.lock();
        try {
            ensureOpen();
            if (conn == null) {
                conn = QgaConnection.open(socket, options.maxReplyBytes());
                connects.incrementAndGet();
                needsSync = true;
            }
        } finally {
            lock.unlock();
        }
    }

    long connects() {
        return connects.get();
    }

    long handshakes() {
        return handshakes.get();
    }

    long discardedFrames() {
        return discarded.get();
    }

    boolean connected() {
        return conn != null;
    }

    /** Forces a synchronisation handshake now, waiting at most {@code timeout} for its reply. */
    void sync(Duration timeout) {
        lock.lock();
        try {
            ensureOpen();
            needsSync = true;
            prepare(timeout);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Sends {@code command} and returns its {@code return} value. With {@code noReplyOnSuccess} (guest-shutdown,
     * guest-suspend-*) silence or the connection going away within {@code timeout} count as success and yield
     * {@code null}.
     */
    JsonNode execute(String command, ObjectNode arguments, Duration timeout, boolean noReplyOnSuccess) {
        lock.lock();
        try {
            ensureOpen();
            prepare(options.syncTimeout());
            QgaConnection c = conn;
            ObjectNode request = QmpJson.object().put("execute", command);
            if (arguments != null && !arguments.isEmpty()) {
                request.set("arguments", arguments);
            }
            long deadline = System.nanoTime() + timeout.toNanos();
            needsSync = true; // until a proper reply is read, the stream may be out of step
            try {
                c.write(line(request, null), deadline, command, timeout);
            } catch (QgaGuestGoneException e) {
                drop();
                throw e; // not delivered: not even a shutdown counts as done
            }
            try {
                JsonNode value = readReply(c, command, deadline, timeout);
                needsSync = false;
                return value;
            } catch (QgaErrorException e) {
                needsSync = false;
                throw e;
            } catch (QgaNotAnsweringException e) {
                if (noReplyOnSuccess) {
                    LOG.debug("{}: no reply within {} ms, taken as success", command, timeout.toMillis());
                    return null;
                }
                throw e;
            } catch (QgaGuestGoneException e) {
                drop();
                if (noReplyOnSuccess) {
                    LOG.debug("{}: agent socket went away, taken as success", command);
                    return null;
                }
                throw e;
            }
        } finally {
            lock.unlock();
        }
    }

    private JsonNode readReply(QgaConnection c, String command, long deadline, Duration timeout) {
        while (true) {
            byte[] frame = c.reader().next();
            if (frame == null) {
                c.fill(deadline, command, timeout);
                continue;
            }
            if (frame == QgaFrameReader.DELIMITER) {
                throw new QgaProtocolException("unexpected sync delimiter (0xFF) while waiting for " + command);
            }
            if (frame == QgaFrameReader.OVERSIZED) {
                throw new QgaProtocolException("reply to " + command + " longer than " + options.maxReplyBytes()
                        + " bytes");
            }
            JsonNode reply = parse(frame);
            if (reply == null || !reply.isObject()) {
                throw new QgaProtocolException("garbage from the agent while waiting for " + command + ": "
                        + preview(frame));
            }
            if (reply.has("return")) {
                return reply.get("return");
            }
            JsonNode error = reply.get("error");
            if (error != null && error.isObject()) {
                throw new QgaErrorException(error.path("class").asText("GenericError"),
                        error.path("desc").asText(""), command);
            }
            throw new QgaProtocolException("reply to " + command + " has neither return nor error: "
                    + preview(frame));
        }
    }

    /**
     * Makes sure a connection exists and is synchronised. A connection that turns out to be dead before the
     * command is sent (EOF from an agent or QEMU that restarted) is replaced once; nothing was sent yet.
     */
    private void prepare(Duration syncTimeout) {
        for (int attempt = 0;; attempt++) {
            boolean fresh = conn == null;
            if (fresh) {
                conn = QgaConnection.open(socket, options.maxReplyBytes());
                connects.incrementAndGet();
                needsSync = true;
            }
            try {
                if (!needsSync && conn.pollStale()) {
                    LOG.debug("unsolicited bytes from the agent on {}; resynchronising", socket);
                    needsSync = true;
                }
                if (needsSync) {
                    handshake(conn, syncTimeout);
                    needsSync = false;
                }
                return;
            } catch (QgaGuestGoneException e) {
                drop();
                if (fresh || attempt > 0) {
                    throw e;
                }
                LOG.debug("agent connection {} was dead ({}); reconnecting", socket, e.getMessage());
            }
        }
    }

    private void handshake(QgaConnection c, Duration timeout) {
        long id = ThreadLocalRandom.current().nextLong(1, 1L << 53);
        ObjectNode request = QmpJson.object().put("execute", SYNC);
        request.putObject("arguments").put("id", id);
        long deadline = System.nanoTime() + timeout.toNanos();
        c.write(line(request, (byte) 0xFF), deadline, SYNC, timeout);
        boolean delimited = false;
        int skipped = 0;
        while (true) {
            byte[] frame = c.reader().next();
            if (frame == null) {
                c.fill(deadline, SYNC, timeout);
                continue;
            }
            if (frame == QgaFrameReader.DELIMITER) {
                delimited = true;
                continue;
            }
            if (delimited) {
                JsonNode reply = parse(frame);
                JsonNode ret = reply == null ? null : reply.get("return");
                if (ret != null && ret.canConvertToLong() && ret.asLong() == id) {
                    if (c.reader().hasBuffered()) {
                        LOG.debug("dropping bytes after the sync reply on {}", socket);
                        c.reader().clear();
                    }
                    handshakes.incrementAndGet();
                    discarded.addAndGet(skipped);
                    LOG.debug("synchronised with the agent on {} (id {}, {} stale frames skipped)", socket, id,
                            skipped);
                    return;
                }
            }
            delimited = false;
            skipped++;
        }
    }

    private static ByteBuffer line(ObjectNode request, Byte prefix) {
        byte[] json;
        try {
            json = QmpJson.mapper().writeValueAsBytes(request);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot serialise " + request.path("execute").asText(), e);
        }
        ByteBuffer b = ByteBuffer.allocate(json.length + 2);
        if (prefix != null) {
            b.put(prefix);
        }
        b.put(json).put((byte) '\n');
        return b.flip();
    }

    private static JsonNode parse(byte[] frame) {
        try {
            return QmpJson.mapper().readTree(frame);
        } catch (IOException e) {
            return null;
        }
    }

    private static String preview(byte[] frame) {
        String s = new String(frame, 0, Math.min(frame.length, 200), StandardCharsets.UTF_8);
        return frame.length > 200 ? s + "..." : s;
    }

    private void ensureOpen() {
        if (closed) {
            throw new QgaClosedException("guest agent client is closed");
        }
    }

    private void drop() {
        QgaConnection c = conn;
        conn = null;
        needsSync = true;
        if (c != null) {
            c.close();
        }
    }

    @Override
    public void close() {
        closed = true;
        QgaConnection c = conn;
        if (c != null) {
            c.close();
        }
        if (lock.tryLock()) {
            try {
                conn = null;
            } finally {
                lock.unlock();
            }
        }
    }
}
