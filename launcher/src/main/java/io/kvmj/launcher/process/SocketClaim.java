package io.kvmj.launcher.process;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A kvmj client's exclusive claim on one of QEMU's single-client server sockets (serial console, QMP). QEMU serves
 * one client per socket; a second client's {@code connect} still succeeds (the kernel queues it in the listen
 * backlog), its writes wait in the socket buffer and reach the guest when the first client leaves. So every kvmj
 * client claims the socket before connecting: an exclusive lock on {@code SOCKET.lock} next to it (a POSIX record
 * lock, released by the kernel when the holder exits, however it exits) that records the holder's pid.
 *
 * <pre>{@code
 * try (SocketClaim claim = SocketClaim.claim(dir.consoleSocket())) {  // SocketBusyException when held
 *     ... connect and talk ...
 * }
 * }</pre>
 *
 * <p>Thread-safe. Claims held by this JVM are tracked in memory: the lock file is never opened twice by one JVM
 * (closing any descriptor of a locked file drops the JVM's POSIX locks on it).
 */
public final class SocketClaim implements AutoCloseable {
    private static final Map<Path, SocketClaim> HELD = new ConcurrentHashMap<>();

    private final Path socket;
    private final FileChannel channel;
    private final FileLock lock;

    private SocketClaim(Path socket, FileChannel channel, FileLock lock) {
        this.socket = socket;
        this.channel = channel;
        this.lock = lock;
    }

    /** The lock file of {@code socket}: {@code SOCKET.lock} in the same directory. */
    public static Path lockFile(Path socket) {
        return socket.resolveSibling(socket.getFileName() + ".lock");
    }

    /**
     * Claims {@code socket} for this process.
     *
     * @throws SocketBusyException when another client (this JVM or another process) holds it
     * @throws IOException         when the lock file cannot be created
     */
    public static SocketClaim claim(Path socket) throws IOException {
        Path key = socket.toAbsolutePath().normalize();
        synchronized (HELD) {
            if (HELD.containsKey(key)) {
                throw new SocketBusyException(socket, OptionalLong.of(Pids.self()));
            }
            FileChannel ch = FileChannel.open(lockFile(key), StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = ch.tryLock();
            } catch (OverlappingFileLockException | IOException e) {
                lock = null;
            }
            if (lock == null) {
                OptionalLong holder = readHolder(ch);
                ch.close();
                throw new SocketBusyException(socket, holder);
            }
            ch.truncate(0);
            ch.write(ByteBuffer.wrap((Pids.self() + "\n").getBytes(StandardCharsets.UTF_8)), 0);
            SocketClaim c = new SocketClaim(key, ch, lock);
            HELD.put(key, c);
            return c;
        }
    }

    /** {@link #claim} that answers empty instead of throwing {@link SocketBusyException}. */
    public static Optional<SocketClaim> tryClaim(Path socket) throws IOException {
        try {
            return Optional.of(claim(socket));
        } catch (SocketBusyException e) {
            return Optional.empty();
        }
    }

    private static OptionalLong readHolder(FileChannel ch) {
        try {
            ByteBuffer buf = ByteBuffer.allocate(32);
            ch.read(buf, 0);
            String s = new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8).strip();
            return s.isEmpty() ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(s));
        } catch (IOException | NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    /** The claimed socket. */
    public Path socket() {
        return socket;
    }

    /** Releases the claim (idempotent); the lock file stays (removing it would race with the next claimant). */
    @Override
    public void close() {
        synchronized (HELD) {
            if (HELD.remove(socket, this)) {
                try {
                    lock.release();
                } catch (IOException ignored) {
                    // the close below releases it too
                }
                try {
                    channel.close();
                } catch (IOException ignored) {
                    // nothing
                }
            }
        }
    }
}
