package io.kvmj.qmp;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.io.EOFException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * One QMP command on a fresh connection, blocking, without Netty: connect to QEMU's server socket, read the greeting,
 * then send the negotiation ({@code qmp_capabilities}, no out-of-band) and the command in one write, read both
 * replies, close. QEMU dispatches a connection's requests in order, so the command runs after the negotiation; were
 * the negotiation refused, QEMU would refuse the command too (before it, only {@code qmp_capabilities} is accepted).
 * Sending both at once saves a round trip to QEMU; it also means the command may still run after a negotiation that
 * timed out here (QEMU answering later than {@code timeout}), as a command whose reply timed out may.
 *
 * <p>Why a second way in besides {@link QmpClient}: a short-lived process that asks one question (the CLI's
 * {@code kvmj list}, {@code query-status} per guest) pays Netty's start-up (event loop and dispatch threads, its
 * class graph, buffer pools) for a single round trip; on this project's 2-core test machine that was most of a
 * second of CPU per guest (issue 19). This path is the same protocol and the same code where it counts: the greeting
 * is parsed by {@link QmpGreeting#parse}, the {@code qmp_capabilities} arguments come from
 * {@link QmpGreeting#capabilitiesArguments}, requests are encoded by {@link QmpJson#request}, lines are parsed by
 * {@link QmpJson#readTree} (the client's parser, which needs no data-binding mapper), an {@code error} reply becomes
 * the same {@link QmpErrorException#of}, and a typed command's reply is
 * mapped by {@link QmpJson#convert} as {@link QmpClient#call(QmpCommand)} maps it. What it leaves out on purpose:
 * events (skipped while waiting), out-of-band execution, several commands on one connection. Anything longer-lived
 * uses {@link QmpClient}.
 *
 * <p>Lines are framed on LF (a CR before it is part of JSON whitespace) up to
 * {@link QmpClientOptions#DEFAULT_MAX_LINE_LENGTH}; blank lines, events, replies with another id and, after the
 * greeting, malformed lines are skipped as {@link QmpClient} drops them.
 *
 * <pre>{@code
 * StatusInfo s = QmpOneShot.call(Path.of("/run/vm1/qmp.sock"), new QueryStatus(), Duration.ofSeconds(2));
 * JsonNode block = QmpOneShot.call(socket, "query-block", null, Duration.ofSeconds(2));
 * }</pre>
 *
 * <p>Thread-safe (no shared state). QEMU serves one client per server socket: a connection queued behind another
 * client gets no greeting and fails with {@link QmpGreetingException} after {@code timeout}.
 */
public final class QmpOneShot {
    private static final String ID = "oneshot-1";
    private static final String CAPABILITIES_ID = "oneshot-0";

    private QmpOneShot() {}

    /**
     * Starts the JDK's one-time set-up of unix-domain socket channels and selectors on a daemon thread and returns at
     * once, so that a caller with other work to do before its first {@link #call} overlaps it with that work. The first
     * {@code SocketChannel.open(UNIX)} of a JVM looks the selector provider up on the class path and seeds a
     * {@code SecureRandom} (loading the security providers): 30-90 ms on this project's 2-core test machine, most of
     * what {@code kvmj list} spent on a running guest beyond the JVM's start (issue 19). Harmless when repeated or
     * when no call follows (the thread opens and closes one unconnected channel and one selector).
     *
     * <pre>{@code
     * QmpOneShot.warmUp();
     * ... read the runtime directories ...
     * QmpOneShot.call(socket, "query-status", null, Duration.ofSeconds(2));
     * }</pre>
     */
    public static void warmUp() {
        Thread t = new Thread("qmp-oneshot-warm-up") { // not a lambda: linking one costs what this saves
            @Override
            public void run() {
                try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
                     Selector sel = Selector.open()) {
                    ch.configureBlocking(false);
                } catch (IOException | RuntimeException e) {
                    // the call says what is wrong, if it comes
                }
            }
        };
        t.setDaemon(true);
        t.start();
    }

    /**
     * Runs a typed command.
     *
     * @param timeout bounds the connect, the handshake (greeting and negotiation) and the reply, each
     * @throws QmpConnectException      when the socket is missing or refuses
     * @throws QmpGreetingException     when no well-formed greeting or negotiation comes within {@code timeout}
     * @throws QmpErrorException        when QEMU answers with an error
     * @throws QmpTimeoutException      when the reply does not come within {@code timeout}
     * @throws QmpDisconnectedException when QEMU closes the connection before replying
     */
    public static <R> R call(Path socket, QmpCommand<R> command, Duration timeout) {
        JsonNode r = call(socket, command.name(), QmpJson.toArguments(command.arguments()), timeout);
        return QmpJson.convert(r, command.responseType(), command.name());
    }

    /** Runs a command given by name and raw arguments (may be {@code null}); returns the {@code return} value. */
    public static JsonNode call(Path socket, String command, JsonNode arguments, Duration timeout) {
        if (command == null || command.isBlank()) {
            throw new IllegalArgumentException("command name must not be blank");
        }
        if (!Files.exists(socket)) {
            throw new QmpConnectException("no QMP socket at " + socket + " (no such file)", null);
        }
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX); Selector sel = Selector.open()) {
            try {
                ch.connect(UnixDomainSocketAddress.of(socket));
            } catch (IOException e) {
                throw new QmpConnectException("cannot connect to " + socket + ": " + e.getMessage(), e);
            }
            ch.configureBlocking(false);
            ch.register(sel, SelectionKey.OP_READ);
            Lines lines = new Lines(ch, sel);
            handshake(ch, lines, QmpJson.request(command, arguments, ID, false), timeout);
            JsonNode r = reply(lines, ID, command, arguments, System.nanoTime() + timeout.toNanos());
            if (r == null) {
                throw new QmpTimeoutException(command + " unanswered", timeout);
            }
            return r;
        } catch (IOException e) {
            throw new QmpDisconnectedException("connection lost", command, e);
        }
    }

    /**
     * Greeting, then {@code qmp_capabilities} (nothing enabled) with {@code request} written right behind it, and the
     * negotiation's reply, within {@code timeout}.
     */
    private static void handshake(SocketChannel ch, Lines lines, byte[] request, Duration timeout) {
        long end = System.nanoTime() + timeout.toNanos();
        try {
            JsonNode first = lines.next(end, true);
            if (first == null) {
                throw new QmpGreetingException("no QMP greeting within " + timeout.toMillis() + " ms");
            }
            QmpGreeting.parse(first);
            byte[] caps = QmpJson.request("qmp_capabilities", QmpGreeting.capabilitiesArguments(List.of()),
                    CAPABILITIES_ID, false);
            byte[] both = Arrays.copyOf(caps, caps.length + request.length);
            System.arraycopy(request, 0, both, caps.length, request.length);
            write(ch, both);
            if (reply(lines, CAPABILITIES_ID, "qmp_capabilities", null, end) == null) {
                throw new QmpGreetingException("no QMP greeting/negotiation within " + timeout.toMillis()
                        + " ms (greeting received, qmp_capabilities unanswered)");
            }
        } catch (QmpErrorException e) {
            throw new QmpGreetingException("qmp_capabilities failed: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new QmpGreetingException("connection closed before the QMP session was negotiated", e);
        }
    }

    /** The {@code return} of the reply to {@code id}, its error as {@link QmpErrorException}, or null at the end. */
    private static JsonNode reply(Lines lines, String id, String command, JsonNode arguments, long deadline)
            throws IOException {
        while (true) {
            JsonNode msg = lines.next(deadline, false);
            if (msg == null) {
                return null;
            }
            if (msg.has("event") || !(msg.has("return") || msg.has("error"))) {
                continue;
            }
            JsonNode replyId = msg.get("id");
            if (replyId != null && !id.equals(replyId.asText())) {
                continue;
            }
            JsonNode err = msg.get("error");
            if (err != null) {
                if (replyId == null) { // QEMU could not parse a request (see QmpClient): ours, the first one unanswered
                    throw new QmpProtocolException(command + ": QEMU answered with an error without an id "
                            + "(it could not parse the request): " + err.path("desc").asText(""));
                }
                throw QmpErrorException.of(err, command, arguments);
            }
            return msg.get("return");
        }
    }

    private static void write(SocketChannel ch, byte[] bytes) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        while (b.hasRemaining()) {
            if (ch.write(b) == 0) {
                Thread.onSpinWait(); // a full socket buffer for one short request: QEMU reads it at once
            }
        }
    }

    /** LF-framed JSON objects from a non-blocking channel, waiting on the selector up to a deadline. */
    private static final class Lines {
        private final SocketChannel ch;
        private final Selector sel;
        private final ByteBuffer in = ByteBuffer.allocate(8192);
        private final ByteArrayOutputStream line = new ByteArrayOutputStream(256);

        Lines(SocketChannel ch, Selector sel) {
            this.ch = ch;
            this.sel = sel;
            in.flip();
        }

        /**
         * The next non-blank line as a JSON object, or null at the deadline. In the greeting ({@code strict}) a
         * malformed line is a {@link QmpGreetingException}; later it is skipped.
         */
        JsonNode next(long deadline, boolean strict) throws IOException {
            while (true) {
                while (in.hasRemaining()) {
                    byte c = in.get();
                    if (c != '\n') {
                        if (line.size() >= QmpClientOptions.DEFAULT_MAX_LINE_LENGTH) {
                            throw new QmpProtocolException("QMP line longer than "
                                    + QmpClientOptions.DEFAULT_MAX_LINE_LENGTH + " bytes");
                        }
                        line.write(c);
                        continue;
                    }
                    byte[] bytes = line.toByteArray();
                    line.reset();
                    if (new String(bytes, StandardCharsets.UTF_8).isBlank()) {
                        continue;
                    }
                    JsonNode node;
                    try {
                        node = QmpJson.readTree(bytes);
                    } catch (IOException e) {
                        node = null;
                    }
                    if (node != null && node.isObject()) {
                        return node;
                    }
                    if (strict) {
                        throw new QmpGreetingException("malformed QMP greeting: " + abbreviate(bytes));
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return null;
                }
                in.clear();
                int n = ch.read(in);
                in.flip();
                if (n < 0) {
                    throw new EOFException("QEMU closed the QMP connection");
                }
                if (n == 0) {
                    sel.select(Math.max(1, left / 1_000_000));
                    sel.selectedKeys().clear();
                }
            }
        }

        private static String abbreviate(byte[] b) {
            String s = new String(b, 0, Math.min(b.length, 200), StandardCharsets.UTF_8);
            return b.length > 200 ? s + "..." : s;
        }
    }
}
