package io.kvmj.launcher.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * Serialises read-modify-write of a runtime directory's records ({@code guest.json}, {@code spec.json}) across
 * threads and kvmj processes: an exclusive POSIX lock on {@code record.lock} in the directory (as
 * {@link SocketClaim} locks its {@code *.sock.lock}: released by the kernel when the holder exits, however it exits),
 * taken behind a per-directory {@link ReentrantLock} (a JVM cannot hold two POSIX locks on one file; the inner
 * holder of a nested call reuses the outer one's).
 *
 * <pre>{@code
 * RecordLock.locked(dir.path(), () -> {          // waits while another kvmj process updates the guest
 *     GuestSpec s = SpecFile.read(dir.path()).orElseThrow();
 *     SpecFile.write(dir.path(), s.toBuilder().disk(d).build());
 *     return null;
 * });
 * }</pre>
 */
public final class RecordLock {
    /** File name in the runtime directory. */
    public static final String NAME = "record.lock";
    private static final Map<Path, ReentrantLock> LOCKS = new ConcurrentHashMap<>();

    private RecordLock() {
    }

    /** Runs {@code body} holding the lock of runtime directory {@code dir}; blocks until it is free. */
    public static <T> T locked(Path dir, Supplier<T> body) {
        Path key = dir.toAbsolutePath().normalize();
        ReentrantLock inJvm = LOCKS.computeIfAbsent(key, k -> new ReentrantLock());
        inJvm.lock();
        try {
            if (inJvm.getHoldCount() > 1) {
                return body.get(); // the outer call of this thread holds the file lock
            }
            try (FileChannel ch = FileChannel.open(key.resolve(NAME), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE);
                 FileLock ignored = ch.lock()) {
                return body.get();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot lock " + key.resolve(NAME), e);
            }
        } finally {
            inJvm.unlock();
        }
    }

    /** {@link #locked(Path, Supplier)} for a body without a result. */
    public static void locked(Path dir, Runnable body) {
        locked(dir, () -> {
            body.run();
            return null;
        });
    }
}
