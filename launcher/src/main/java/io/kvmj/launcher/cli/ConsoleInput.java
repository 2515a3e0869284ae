package io.kvmj.launcher.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * The keyboard side of a guest's serial console, shared by {@code kvmj console NAME} and {@code kvmj run --console}:
 * the terminal in raw mode ({@link RawTerminal}, only when stdin and stdout are a terminal), so Ctrl-C, Tab and the
 * arrows reach the guest as bytes; {@link #ESCAPE Ctrl-]} leaves the console (as {@code virsh console}); end of input
 * leaves it too. Bytes before the escape in the same read are still sent; nothing after it.
 *
 * <pre>{@code
 * try (ConsoleInput in = ConsoleInput.start(System.in, bytes -> connection.send(bytes))) {
 *     in.awaitEnd(...);          // Ctrl-], end of input, or the guest went away
 * }                              // the terminal is restored
 * }</pre>
 */
final class ConsoleInput implements AutoCloseable {
    /** Ctrl-]: leaves the console (as in virsh console and telnet). */
    static final byte ESCAPE = 0x1d;

    /** Where typed bytes go. */
    @FunctionalInterface
    interface Sink {
        void send(byte[] bytes) throws IOException;
    }

    /** How the input ended. */
    enum End { ESCAPE, END_OF_INPUT, SEND_FAILED }

    private final RawTerminal raw;
    private final Thread thread;
    private volatile End end;

    private ConsoleInput(RawTerminal raw, InputStream in, Sink sink) {
        this.raw = raw;
        this.thread = new Thread(() -> {
            End e = pump(in, sink);
            end = e;
            if (e == End.ESCAPE) {
                raw.close(); // the terminal is the user's again at once (Ctrl-C means Ctrl-C again)
            }
        }, "kvmj-console-in");
        thread.setDaemon(true);
    }

    /** Enters raw mode (on a terminal) and starts pumping {@code in} into {@code sink} on a daemon thread. */
    static ConsoleInput start(InputStream in, Sink sink) {
        ConsoleInput c = new ConsoleInput(RawTerminal.enter(), in, sink);
        c.thread.start();
        return c;
    }

    /** True when the terminal is in raw mode (write {@code "\r\n"} for a new line then). */
    boolean raw() {
        return raw.active() && end != End.ESCAPE;
    }

    /** The end of line for messages while the console is attached. */
    String newline() {
        return raw() ? "\r\n" : "\n";
    }

    /** True while input is still being sent. */
    boolean active() {
        return thread.isAlive();
    }

    /** How input ended, or null while it is still being sent. */
    End end() {
        return thread.isAlive() ? null : end;
    }

    /** Waits up to {@code millis} for the input to end. */
    void join(long millis) throws InterruptedException {
        thread.join(millis);
    }

    /** Restores the terminal (the pump thread, a daemon, may stay blocked in a read until the JVM ends). */
    @Override
    public void close() {
        raw.close();
    }

    /** Copies {@code in} into {@code sink} until end of input, {@link #ESCAPE} or a failed send. */
    static End pump(InputStream in, Sink sink) {
        byte[] buf = new byte[1024];
        int n;
        try {
            while ((n = in.read(buf)) >= 0) {
                int esc = indexOf(buf, n, ESCAPE);
                int len = esc < 0 ? n : esc;
                if (len > 0) {
                    try {
                        sink.send(Arrays.copyOf(buf, len));
                    } catch (IOException | RuntimeException e) {
                        return End.SEND_FAILED;
                    }
                }
                if (esc >= 0) {
                    return End.ESCAPE;
                }
            }
        } catch (IOException e) {
            return End.END_OF_INPUT;
        }
        return End.END_OF_INPUT;
    }

    static int indexOf(byte[] buf, int n, byte b) {
        for (int i = 0; i < n; i++) {
            if (buf[i] == b) {
                return i;
            }
        }
        return -1;
    }
}
