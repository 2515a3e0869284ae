package io.kvmj.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import io.kvmj.launcher.process.SocketBusyException;
import io.kvmj.launcher.process.SocketClaim;
import io.kvmj.qmp.QmpClient;
import io.kvmj.qmp.QmpClientOptions;
import io.kvmj.qmp.QmpConnectException;
import io.kvmj.qmp.QmpErrorException;
import io.kvmj.qmp.QmpException;
import io.kvmj.qmp.QmpGreetingException;
import io.kvmj.qmp.QmpMonitor;
import io.kvmj.qmp.QmpOneShot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Opens a QMP connection from outside the launching JVM on the first of a guest's server-mode QMP sockets that no
 * other client holds. QEMU serves one client per socket, and a client queued behind another is not refused but
 * stalls until its handshake times out; so each socket is {@linkplain SocketClaim claimed} first (another kvmj
 * client holding it is skipped at once), and a socket whose greeting does not come (a foreign client holds it) is
 * given up for the next one. The claim is released when the monitor closes.
 *
 * <pre>{@code
 * try (QmpMonitor qmp = ClaimedQmp.open(List.of(g.qmpSocket(), g.eventsSocket()), "stop", Duration.ofSeconds(5))) {
 *     qmp.call("query-status", null, Duration.ofSeconds(5));
 * }
 * }</pre>
 */
public final class ClaimedQmp {
    private ClaimedQmp() {}

    /**
     * Connects to the first usable socket of {@code sockets} (connect, handshake and command timeouts
     * {@code timeout} each). A socket file that does not exist fails at once (no retry).
     *
     * @throws QmpBusyException when every socket is held by another client
     * @throws QmpException     when a socket is missing or cannot be connected to for another reason
     */
    public static QmpMonitor open(List<Path> sockets, String name, Duration timeout) {
        return first(sockets, timeout, (socket, claim) -> {
            QmpMonitor qmp = QmpClient.open(socket, QmpClientOptions.builder().name(name).connectTimeout(timeout)
                    .handshakeTimeout(timeout).commandTimeout(timeout).build());
            if (claim != null) {
                qmp.closeFuture().whenComplete((v, x) -> claim.close());
            }
            return qmp;
        });
    }

    /**
     * One command on the first usable socket of {@code sockets}, chosen as {@link #open} chooses, over a
     * {@link QmpOneShot} connection (no Netty: for short-lived callers such as {@code kvmj list}); the claim is
     * released when it returns. The reply is QEMU's raw {@code return} value: mapping it to a record would build
     * Jackson's type factory and a bean deserializer, a large part of {@code kvmj list}'s time (issue 19).
     *
     * <pre>{@code
     * String state = ClaimedQmp.callOnce(List.of(g.qmpSocket(), g.eventsSocket()), "query-status", null,
     *         Duration.ofSeconds(2)).path("status").asText();
     * }</pre>
     *
     * @throws QmpBusyException  when every socket is held by another client
     * @throws QmpErrorException when QEMU answers the command with an error (no other socket is tried)
     * @throws QmpException      when a socket is missing or cannot be connected to for another reason
     */
    public static JsonNode callOnce(List<Path> sockets, String command, JsonNode arguments, Duration timeout) {
        return first(sockets, timeout, (socket, claim) -> {
            try {
                return QmpOneShot.call(socket, command, arguments, timeout);
            } finally {
                if (claim != null) {
                    claim.close();
                }
            }
        });
    }

    /** What is done on a claimed socket; on success it owns the claim (null when none could be taken). */
    private interface Attempt<T> {
        T run(Path socket, SocketClaim claim);
    }

    private static <T> T first(List<Path> sockets, Duration timeout, Attempt<T> attempt) {
        List<String> busy = new ArrayList<>();
        QmpException failure = null;
        for (Path socket : sockets) {
            if (!Files.exists(socket)) {
                failure = new QmpConnectException("no QMP socket at " + socket + " (no such file)", null);
                continue;
            }
            SocketClaim claim;
            try {
                claim = SocketClaim.claim(socket);
            } catch (SocketBusyException e) {
                busy.add(e.getMessage());
                continue;
            } catch (IOException e) {
                claim = null; // no lock file possible next to a foreign socket (read-only directory): connect as is
            }
            try {
                return attempt.run(socket, claim);
            } catch (QmpErrorException e) {
                if (claim != null) {
                    claim.close();
                }
                throw e; // QEMU answered: the socket worked
            } catch (QmpException e) {
                if (claim != null) {
                    claim.close();
                }
                if (e instanceof QmpGreetingException) {
                    busy.add(socket.getFileName() + " did not greet within " + timeout.toMillis()
                            + " ms (another client, not kvmj, holds it?)");
                } else {
                    failure = e;
                }
            }
        }
        if (failure != null && busy.isEmpty()) {
            throw failure;
        }
        throw new QmpBusyException("QMP busy: " + String.join("; ", busy)
                + (failure == null ? "" : "; " + failure.getMessage()));
    }

    /** Every QMP socket tried is held by another client. */
    public static final class QmpBusyException extends QmpException {
        private static final long serialVersionUID = 1L;

        QmpBusyException(String message) {
            super(message);
        }
    }
}
