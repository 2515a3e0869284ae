package io.kvmj.launcher.backend;

import com.sun.jna.Pointer;
import io.kvmj.launcher.GuestException;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A domain's serial console through libvirt, as {@code virsh console} reaches it: {@code virDomainOpenConsole} on a
 * blocking {@code virStream} (the domain's first console, a pty on the daemon's host), opened "safe", so a console
 * another client holds is refused ({@link #BUSY}) rather than shared. Output goes to a sink on a daemon thread.
 *
 * <pre>{@code
 * try (LibvirtBackend lv = LibvirtBackend.connect(uri);
 *      LibvirtConsole c = LibvirtConsole.open(lv, "vm1", bytes -> System.out.write(bytes, 0, bytes.length))) {
 *     c.send("uname -a\n");
 *     c.awaitClosed(Duration.ofSeconds(10));  // true once the stream ended (the domain stopped)
 * }
 * }</pre>
 */
public final class LibvirtConsole implements BackendConsole {
    /** Start of the message of a {@link GuestException} for a console another client holds. */
    public static final String BUSY = ConsoleBusyException.BUSY;

    private final String name;
    private final Pointer stream;
    private final CountDownLatch closed = new CountDownLatch(1);
    private final Object lock = new Object();
    private boolean aborted;
    private volatile String failure;

    private LibvirtConsole(String name, Pointer stream) {
        this.name = name;
        this.stream = stream;
    }

    /**
     * Opens the console of the running domain {@code name}; its output goes to {@code sink} until the stream ends.
     *
     * @throws GuestException no such domain, not running, no console, or {@link #BUSY} (held by another client)
     */
    public static LibvirtConsole open(LibvirtBackend lv, String name, Consumer<byte[]> sink) {
        BackendGuest g = lv.require(name);
        if (!g.active()) {
            throw new GuestException("guest '" + name + "' is not running under " + lv.uri() + " (state " + g.state()
                    + ")");
        }
        Pointer st;
        try {
            st = LibvirtNative.openConsole(lv.connection(), lv.domain(name), LibvirtNative.CONSOLE_SAFE);
        } catch (GuestException e) {
            if (e.getMessage().contains("Active console session")) {
                throw new ConsoleBusyException(name + "'s console is attached by another client under "
                        + lv.uri() + "; detach it (Ctrl-]) first");
            }
            throw new GuestException(name + ": " + e.getMessage() + " (" + lv.uri() + ")");
        }
        LibvirtConsole c = new LibvirtConsole(name, st);
        Thread pump = new Thread(() -> c.pump(sink), "kvmj-libvirt-console");
        pump.setDaemon(true);
        pump.start();
        return c;
    }

    private void pump(Consumer<byte[]> sink) {
        byte[] buf = new byte[8192];
        boolean ended = false;
        try {
            int n;
            while ((n = LibvirtNative.receive(stream, buf)) > 0) {
                sink.accept(Arrays.copyOf(buf, n));
            }
            ended = true;
        } catch (GuestException e) {
            failure = e.getMessage();
        } finally {
            synchronized (lock) {
                if (!aborted) {
                    aborted = true;
                    LibvirtNative.endStream(stream, ended);
                }
                LibvirtNative.freeStream(stream); // only here: nobody receives on it any more
            }
            closed.countDown();
        }
    }

    /** Typed bytes to the guest. */
    @Override
    public void send(byte[] bytes) {
        synchronized (lock) {
            if (aborted) {
                throw new GuestException(name + "'s console stream has ended");
            }
            LibvirtNative.send(stream, bytes);
        }
    }

    /** Waits up to {@code timeout} for the stream to end; true when it has (the domain stopped or went away). */
    @Override
    public boolean awaitClosed(Duration timeout) throws InterruptedException {
        return closed.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Why the stream ended with an error, or null (ended cleanly, or still open). */
    @Override
    public String failure() {
        return failure;
    }

    /**
     * Leaves the console: aborts the stream (the daemon frees the console for the next client) and waits briefly for
     * the receiving thread to free it; a receive libvirt does not wake only ends with the connection.
     */
    @Override
    public void close() {
        synchronized (lock) {
            if (!aborted) {
                aborted = true;
                LibvirtNative.endStream(stream, false);
            }
        }
        try {
            closed.await(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
