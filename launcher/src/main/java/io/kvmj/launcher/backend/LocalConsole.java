package io.kvmj.launcher.backend;

import io.kvmj.launcher.ConsoleConnection;
import io.kvmj.launcher.GuestException;
import io.kvmj.launcher.GuestInfo;
import io.kvmj.launcher.process.SocketBusyException;
import java.io.IOException;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * {@link LocalBackend#console}: a {@link ConsoleConnection} to the guest's kvmj console socket (claimed, so a second
 * client is refused: {@link ConsoleBusyException}), as {@code kvmj console} attaches.
 *
 * <pre>{@code
 * try (BackendConsole c = LocalConsole.open(GuestRegistry.require("vm1"), System.out::writeBytes)) {
 *     c.send("uname -a\n");
 * }
 * }</pre>
 */
final class LocalConsole implements BackendConsole {
    private static final Duration CONNECT = Duration.ofSeconds(5);
    private final String name;
    private final ConsoleConnection connection;

    private LocalConsole(String name, ConsoleConnection connection) {
        this.name = name;
        this.connection = connection;
    }

    static LocalConsole open(GuestInfo guest, Consumer<byte[]> output) {
        if (guest.consoleSocket() == null) {
            throw new GuestException("guest '" + guest.name() + "' was launched without kvmj's console");
        }
        try {
            return new LocalConsole(guest.name(), ConsoleConnection.connect(guest.consoleSocket(), CONNECT, output,
                    guest.name()));
        } catch (SocketBusyException e) {
            throw new ConsoleBusyException(guest.name() + "'s console is attached by another client"
                    + (e.holder().isPresent() ? " (kvmj pid " + e.holder().getAsLong() + ")" : "")
                    + "; detach it (Ctrl-]) first");
        } catch (IOException e) {
            throw new GuestException(guest.name() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void send(byte[] bytes) {
        try {
            connection.send(bytes);
        } catch (IOException e) {
            throw new GuestException(name + "'s console: " + e.getMessage(), e);
        }
    }

    @Override
    public boolean awaitClosed(Duration timeout) throws InterruptedException {
        return connection.awaitClosed(timeout);
    }

    @Override
    public void close() {
        connection.close();
    }
}
