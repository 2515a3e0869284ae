package io.kvmj.launcher.migrate;

import io.kvmj.core.model.GuestSpec;
import io.kvmj.launcher.Guest;
import io.kvmj.launcher.Launcher;
import io.kvmj.launcher.process.RuntimeDir;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code kvmj save}/{@code restore}, like {@code virsh save}/{@code restore}: the guest's state goes into a file
 * ({@link SaveFile}: a header with the spec, then QEMU's migration stream) and the guest stops; restoring starts
 * the same guest from the file alone.
 *
 * <pre>{@code
 * SaveRestore.save(MigrationSource.of(g), g.runtimeDir().path(), spec, Path.of("vm1.kvmjsave"),
 *         MigrationOptions.defaults(), MigrationListener.NONE).await(Duration.ofMinutes(10));
 * Guest back = SaveRestore.restore(launcher, Path.of("vm1.kvmjsave"), null, Duration.ofMinutes(10));
 * }</pre>
 *
 * <p>QEMU migrates to a unix socket in the guest's runtime directory that this JVM listens on and copies into the
 * file. An existing file is never overwritten; a failed or cancelled save removes its partial file and the guest
 * keeps running.
 */
public final class SaveRestore {
    private static final Logger LOG = LoggerFactory.getLogger(SaveRestore.class);

    private SaveRestore() {
    }

    /**
     * Starts saving {@code source} (running {@code spec}, runtime directory {@code runtimeDir}) to {@code file}.
     *
     * @throws MigrationRefusedException at once when the file exists, cannot be created, or the guest cannot be
     *                                   migrated
     */
    public static Migration save(MigrationSource source, Path runtimeDir, GuestSpec launched, Path file,
                                 MigrationOptions options, MigrationListener listener) {
        // the header carries the disks as they are now (after an external snapshot: the overlay), what restore opens
        GuestSpec spec = Migratability.liveDisks(source, launched);
        Migratability.check(spec);
        Migratability.checkNoRawArgs(source.name(), "a save file carries the guest's spec only, so restore would "
                + "start it without them");
        LiveMigration.checkQemuAllows(source);
        FileChannel out;
        try {
            // owner-only: the guest's memory, and a VNC password given as text (SaveFile)
            out = FileChannel.open(file, java.util.Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                    java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                            java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
        } catch (FileAlreadyExistsException e) {
            throw new MigrationRefusedException(source.name(), List.of(file + " exists; kvmj save does not overwrite"));
        } catch (IOException e) {
            throw new MigrationRefusedException(source.name(), List.of("cannot create " + file + ": " + e));
        }
        Path sock = runtimeDir.resolve("save.sock");
        ServerSocketChannel server;
        try {
            SaveFile.writeHeader(Channels.newOutputStream(out), spec);
            Files.deleteIfExists(sock);
            server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            server.bind(UnixDomainSocketAddress.of(sock));
        } catch (IOException e) {
            closeQuietly(out);
            deleteQuietly(file);
            throw new MigrationRefusedException(source.name(), List.of("cannot prepare the save: " + e));
        }
        Migration m = new Migration();
        CompletableFuture<Long> copied = new CompletableFuture<>();
        LiveMigration.start("kvmj-save-copy-" + source.name(), () -> {
            try (SocketChannel in = server.accept()) {
                long n = 0;
                java.nio.ByteBuffer b = java.nio.ByteBuffer.allocateDirect(1 << 20);
                for (int r; (r = in.read(b)) >= 0; ) {
                    b.flip();
                    while (b.hasRemaining()) {
                        out.write(b);
                    }
                    b.clear();
                    n += r;
                }
                out.force(true);
                copied.complete(n);
            } catch (IOException | RuntimeException e) {
                copied.completeExceptionally(e);
            }
        });
        LiveMigration.start("kvmj-save-" + source.name(), () -> {
            MigrationResult r = null;
            Exception failure = null;
            try {
                r = new MigrationDriver(source.qmp(), source.name(), options, listener, m.stopReason(),
                        () -> copied.isCompletedExceptionally() ? "writing " + file + " failed" : null)
                        .run("unix:" + sock, file.toString());
                long bytes = copied.get(5, TimeUnit.MINUTES);
                closeQuietly(out);
                source.end().run();
                LOG.info("guest {} saved to {} ({} bytes of QEMU state)", source.name(), file, bytes);
            } catch (Exception e) {
                failure = e;
            } finally {
                // clean up first, then complete: a caller seeing the failure must not see the partial file
                closeQuietly(server);
                deleteQuietly(sock);
                if (failure != null) {
                    closeQuietly(out);
                    deleteQuietly(file);
                }
            }
            if (failure == null) {
                m.result().complete(r);
            } else {
                m.result().completeExceptionally(failure instanceof MigrationException ? failure
                        : new MigrationException("save of guest '" + source.name() + "' failed: " + failure
                        + "; the guest keeps running", true, failure));
            }
        });
        return m;
    }

    /**
     * Starts the guest saved in {@code file} (as {@code name}, or its saved name when null) with {@code launcher}
     * and feeds it the saved state; returns once it runs. The file is kept.
     *
     * @throws MigrationException when the file is not a kvmj save file or QEMU rejects the state (nothing is left
     *                            running)
     */
    public static Guest restore(Launcher launcher, Path file, String name, Duration timeout) {
        try (InputStream in = Files.newInputStream(file)) {
            GuestSpec spec = SaveFile.readHeader(in);
            if (spec.startPaused()) {
                // launched paused (-S), saved later: with -S the restored QEMU would wait paused after loading the
                // state, and this waits for it to run (the saved state is what carries the run state)
                spec = spec.toBuilder().startPaused(false).build();
            }
            if (name != null) {
                spec = spec.toBuilder().name(name).build();
            }
            if (RuntimeDir.find(spec.name()).filter(RuntimeDir::isLive).isPresent()) {
                throw new MigrationRefusedException(spec.name(), List.of("a guest named '" + spec.name()
                        + "' is already running (restore --name NEWNAME)"));
            }
            Guest g = launcher.launch(launcher.plan(spec).withLaunchArgs(LiveMigration.incomingArgs()));
            try (MigrationWakeups wake = MigrationWakeups.on(g.qmp(), "MIGRATION", "RESUME")) {
                Path sock = g.runtimeDir().path().resolve("restore.sock");
                LiveMigration.accept(g.qmp(), "unix:" + sock, false);
                try (SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(sock));
                     OutputStream os = Channels.newOutputStream(ch)) {
                    in.transferTo(os);
                }
                awaitRestored(g, wake, timeout);
                LOG.info("guest {} restored from {}", spec.name(), file);
                return g;
            } catch (IOException | RuntimeException e) {
                g.kill();
                g.close();
                throw e instanceof MigrationException me ? me
                        : new MigrationException("restore from " + file + " failed: " + e.getMessage(), false, e);
            }
        } catch (IOException e) {
            throw new MigrationException("cannot restore from " + file + ": " + e.getMessage(), false, e);
        }
    }

    /** Waits until QEMU has loaded the state and runs the guest; fails when QEMU rejects it or exits. */
    private static void awaitRestored(Guest g, MigrationWakeups wake, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (!g.isAlive()) {
                throw new MigrationException("QEMU rejected the saved state and exited: "
                        + g.stderrTail().strip().lines().reduce((a, b) -> b).orElse(""), false, null);
            }
            var q = g.qmp().call("query-migrate", null, Duration.ofSeconds(30));
            if ("failed".equals(q.path("status").asText())) {
                throw new MigrationException("QEMU rejected the saved state: " + q.path("error-desc").asText(),
                        false, null);
            }
            if (g.qmp().call("query-status", null, Duration.ofSeconds(30)).path("running").asBoolean()) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new MigrationException("the restored guest did not start within " + timeout.toSeconds()
                        + " s", false, null);
            }
            wake.await(Duration.ofMillis(250));
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            LOG.debug("close: {}", e.toString());
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            LOG.warn("cannot delete {}: {}", p, e.toString());
        }
    }
}
