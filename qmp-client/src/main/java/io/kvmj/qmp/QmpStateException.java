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

    /** The client's state when the call was refused. */
    public QmpState state() {
        return state;
    }
}
