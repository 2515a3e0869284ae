package io.kvmj.launcher.backend;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A guest's serial console as {@link GuestBackend#console} opens it: what the guest prints goes to the output
 * consumer given there (on a daemon thread), {@link #send} types. One client at a time on both backends: while this is
 * open, another {@code console} is refused ({@link ConsoleBusyException}); {@link #close()} leaves, the guest keeps
 * running.
 *
 * <pre>{@code
 * try (BackendConsole c = backend.console("vm1", bytes -> System.out.write(bytes, 0, bytes.length))) {
 *     c.send("uname -a\n");
 *     c.awaitClosed(Duration.ofSeconds(10));   // true once the guest stopped (the stream ended)
 * }
 * }</pre>
 */
public interface BackendConsole extends AutoCloseable {
    /** Typed bytes to the guest; {@link io.kvmj.launcher.GuestException} once the console has ended. */
    void send(byte[] bytes);

    /** {@link #send(byte[])} of UTF-8 text. */
    default void send(String text) {
        send(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Waits up to {@code timeout} for the console to end (the guest stopped); true when it has. */
    boolean awaitClosed(Duration timeout) throws InterruptedException;

    /** Why the console ended with an error, or null (ended cleanly, still open, or not told). */
    default String failure() {
        return null;
    }

    /** Leaves the console; the next client may attach. */
    @Override
    void close();
}
