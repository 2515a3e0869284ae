package io.kvmj.qmp;

/**
 * A call made in a state that does not allow it, e.g. {@code execute} after {@link QmpClient#close()} or after the
 * connection was lost: {@link #state()} says which. A {@link QmpDisconnectedException}, as the connection is not
 * usable.
 *
 * <pre>{@code
 * client.close();
 * client.call("query-status");   // QmpStateException: query-status: client closed (state CLOSED)
 * }</pre>
 */
public class QmpStateException extends QmpDisconnectedException {
    private static final long serialVersionUID = 1L;

    private final QmpState state;

    public QmpStateException(QmpState state, String command, String why, Throwable cause) {
        super(why + " (state " + state + ")", command, cause);
        this.state = state;
    }

    /** The error for a call {@code state} does not allow; {@code endReason} says why a closed connection ended. */
    static QmpStateException refused(QmpState state, String command, String endReason, Throwable cause) {
        String why = switch (state) {
            case CLOSING -> "client closed";
            case CLOSED -> endReason == null ? "not connected" : endReason;
            case FAILED -> "QMP handshake failed";
            default -> "not connected";
        };
        return new QmpStateException(state, command, why, cause);
    }

    /** The client's state when the call was refused. */
    public QmpState state() {
        return state;
    }
}
