package io.kvmj.launcher.migrate;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.kvmj.core.model.GuestSpec;
import io.kvmj.launcher.Guest;
import io.kvmj.launcher.LaunchPlan;
import io.kvmj.launcher.Launcher;
import io.kvmj.launcher.process.RuntimeDir;
import io.kvmj.qmp.QmpMonitor;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves a running guest: to a new guest on this host ({@link #toNewGuest}), or to a QEMU elsewhere that waits with
 * {@code -incoming} ({@link #toUri}, e.g. one started by {@code kvmj run --incoming tcp:0.0.0.0:4444}).
 *
 * <pre>{@code
 * try (Guest src = launcher.launch(spec)) {
 *     Migration m = LiveMigration.toNewGuest(launcher, MigrationSource.of(src), spec, "vm1-moved",
 *             MigrationOptions.defaults().withMaxDowntime(Duration.ofMillis(100)), p -> log(p.percent()));
 *     MigrationResult r = m.await(Duration.ofMinutes(10));  // src has quit; the guest runs as "vm1-moved"
 *     Guest moved = m.destination().orElseThrow();
 * }
 * }</pre>
 *
 * <p>The destination is launched from the same {@link GuestSpec} under the new name ({@link Launcher#plan} plus
 * {@code -incoming defer}); the stream goes over {@code migrate.sock} in the destination's runtime directory. The
 * source QEMU is ended only after the destination runs the guest. On failure, cancel or a destination that dies
 * before post-copy, the source keeps running and the destination QEMU and its runtime directory are removed.
 */
public final class LiveMigration {
    private static final Logger LOG = LoggerFactory.getLogger(LiveMigration.class);
    /** The stream's socket in the destination's runtime directory. */
    public static final String SOCKET = "migrate.sock";

    private LiveMigration() {
    }

    /**
     * Starts migrating {@code source} (running {@code spec}) to a new guest {@code newName} on this host, launched
     * by {@code launcher} (its options decide whether the destination is attached to this JVM or detached).
     *
     * @throws MigrationRefusedException at once when {@code spec} has what QEMU cannot migrate
     *                                   ({@link Migratability}) or {@code newName} is not usable
     */
    public static Migration toNewGuest(Launcher launcher, MigrationSource source, GuestSpec spec, String newName,
                                       MigrationOptions options, MigrationListener listener) {
        Migratability.check(spec);
        checkNewName(source.name(), newName);
        checkQemuAllows(source);
        Migration m = new Migration();
        start("kvmj-migrate-" + source.name(), () -> {
            Guest dest = null;
            try {
                GuestSpec destSpec = spec.toBuilder().name(newName).build();
                LaunchPlan plan = launcher.plan(destSpec).withExtraArgs(List.of("-incoming", "defer"));
                dest = launcher.launch(plan);
                m.destination(dest);
                Path sock = dest.runtimeDir().path().resolve(SOCKET);
                accept(dest.qmp(), "unix:" + sock, options.postcopy());
                Guest d = dest;
                MigrationResult r = new MigrationDriver(source.qmp(), source.name(), options, listener, m.stopReason(),
                        () -> d.isAlive() ? null : "the destination QEMU exited").run("unix:" + sock, newName);
                awaitRunning(dest);
                source.end().run();
                LOG.info("guest {} now runs as {} (pid {}); downtime {} ms", source.name(), newName, dest.pid(),
                        r.downtimeMs());
                m.result().complete(r);
            } catch (RuntimeException e) {
                if (dest != null && !(e instanceof MigrationException me && !me.sourceRunning())) {
                    dest.kill();
                    dest.close();
                    m.destination(null);
                }
                m.result().completeExceptionally(e instanceof MigrationException ? e
                        : new MigrationException("migration of guest '" + source.name() + "' failed: " + e.getMessage()
                        + "; the guest keeps running on the source", true, e));
            }
        });
        return m;
    }

    /**
     * Starts migrating {@code source} to {@code uri} ({@code tcp:HOST:PORT}, {@code unix:PATH}) where a QEMU waits
     * with {@code -incoming} (see {@link #accept}). The source QEMU ends after completion.
     */
    public static Migration toUri(MigrationSource source, String uri, MigrationOptions options,
                                  MigrationListener listener) {
        checkQemuAllows(source);
        Migration m = new Migration();
        start("kvmj-migrate-" + source.name(), () -> {
            try {
                MigrationResult r = new MigrationDriver(source.qmp(), source.name(), options, listener, m.stopReason(),
                        () -> null).run(uri, uri);
                source.end().run();
                m.result().complete(r);
            } catch (RuntimeException e) {
                m.result().completeExceptionally(e instanceof MigrationException ? e
                        : new MigrationException("migration of guest '" + source.name() + "' failed: " + e.getMessage()
                        + "; the guest keeps running on the source", true, e));
            }
        });
        return m;
    }

    /**
     * On a QEMU started with {@code -incoming defer}: sets the capabilities the sender will use
     * ({@code postcopy-ram} must be on on both sides) and starts listening on {@code uri} with
     * {@code migrate-incoming}. The guest runs as soon as the migration completes.
     */
    public static void accept(QmpMonitor destination, String uri, boolean postcopy) {
        MigrationDriver.setCapabilities(destination, false, postcopy);
        destination.call("migrate-incoming", JsonNodeFactory.instance.objectNode().put("uri", uri),
                Duration.ofSeconds(30));
    }

    /** The extra QEMU arguments that make a launched guest wait for a migration ({@link #accept}). */
    public static List<String> incomingArgs() {
        return List.of("-incoming", "defer");
    }

    private static void checkNewName(String source, String newName) {
        try {
            RuntimeDir.validateName(newName);
        } catch (RuntimeException e) {
            throw new MigrationRefusedException(source, List.of("bad destination name: " + e.getMessage()));
        }
        if (newName.equals(source)) {
            throw new MigrationRefusedException(source, List.of("the destination needs another name than the source"));
        }
        if (RuntimeDir.find(newName).filter(RuntimeDir::isLive).isPresent()) {
            throw new MigrationRefusedException(source, List.of("a guest named '" + newName + "' is already running"));
        }
    }

    /** QEMU's own blockers ({@code query-migrate} {@code blocked-reasons}, QEMU 6.0+). */
    static void checkQemuAllows(MigrationSource source) {
        var q = source.qmp().call("query-migrate", null, Duration.ofSeconds(30));
        if (q.path("blocked-reasons").isArray() && !q.path("blocked-reasons").isEmpty()) {
            List<String> reasons = new java.util.ArrayList<>();
            q.path("blocked-reasons").forEach(r -> reasons.add("QEMU: " + r.asText()));
            throw new MigrationRefusedException(source.name(), reasons);
        }
    }

    static void awaitRunning(Guest dest) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!dest.qmp().call("query-status", null, Duration.ofSeconds(30)).path("running").asBoolean()) {
            if (!dest.isAlive() || System.nanoTime() > deadline) {
                throw new MigrationException("the destination QEMU did not start running the guest after migration",
                        false, null);
            }
            MigrationDriver.sleep(Duration.ofMillis(100));
        }
    }

    static void start(String threadName, Runnable body) {
        Thread t = new Thread(body, threadName);
        t.setDaemon(true);
        t.start();
    }
}
