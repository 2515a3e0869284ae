package io.kvmj.launcher.migrate;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.kvmj.core.model.GuestSpec;
import io.kvmj.core.model.VncSpec;
import io.kvmj.launcher.Guest;
import io.kvmj.launcher.Launcher;
import io.kvmj.launcher.process.RuntimeDir;
import io.kvmj.launcher.process.VncAutoport;
import io.kvmj.qmp.QmpMonitor;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
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
 * <p>The destination is launched from the same {@link GuestSpec} under the new name, each disk on the image the
 * source runs it on now ({@link io.kvmj.launcher.storage.LiveDisks}: after an external snapshot, the overlay) ({@link Launcher#plan} plus
 * {@code -incoming defer}); the stream goes over {@code migrate.sock} in the destination's runtime directory. Pass
 * the spec as the guest runs now, {@link io.kvmj.launcher.SpecFile#readWithSecrets}: disks hot-plugged since launch
 * in their PCI slots, and a VNC password given as text. A destination with VNC takes the first free display. The
 * source QEMU is ended only after the destination runs the guest. On failure, cancel or a destination that dies
 * before post-copy, the source keeps running and the destination QEMU and its runtime directory are removed.
 *
 * <p>With {@link MigrationOptions#copyStorage()} (non-shared storage) the destination runs on new disk files that
 * the source first mirrors into over NBD ({@link StorageCopy}); on failure or cancel those files are removed too and
 * the source keeps its own images, untouched.
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
    public static Migration toNewGuest(Launcher launcher, MigrationSource source, GuestSpec launched, String newName,
                                       MigrationOptions options, MigrationListener listener) {
        GuestSpec spec = Migratability.liveDisks(source, launched);
        Migratability.check(spec);
        checkNewName(source.name(), newName);
        Migratability.checkNoRawArgs(source.name(), "the destination, started from the spec, would lack them");
        checkQemuAllows(source);
        List<StorageCopy.Target> copies = options.copyStorage()
                ? StorageCopy.plan(spec, newName, options.storageTargets()) : List.of();
        Migration m = new Migration();
        start("kvmj-migrate-" + source.name(), () -> {
            Guest dest = null;
            boolean created = false;
            boolean streamed = false;
            try {
                GuestSpec destSpec = withFreeVncDisplay(spec.toBuilder().name(newName).build());
                List<String> launchArgs = incomingArgs();
                if (!copies.isEmpty()) {
                    StorageCopy.create(source.qmp(), copies);
                    created = true;
                    destSpec = StorageCopy.destinationSpec(destSpec, copies);
                    // paused after the stream until its NBD server is stopped (the exports hold write permissions)
                    launchArgs = List.of("-incoming", "defer", "-S");
                }
                dest = launcher.launch(launcher.plan(destSpec).withLaunchArgs(launchArgs));
                m.destination(dest);
                Guest d = dest;
                Supplier<String> destProblem = () -> d.isAlive() ? null : "the destination QEMU exited";
                if (!copies.isEmpty()) {
                    Path nbd = dest.runtimeDir().path().resolve(StorageCopy.SOCKET);
                    StorageCopy.serve(dest.qmp(), nbd, copies);
                    StorageCopy.mirror(source.qmp(), nbd, copies, listener, () -> {
                        String why = m.stopReason().get();
                        return why != null ? why : destProblem.get();
                    }, options.speedMiBps());
                }
                Path sock = dest.runtimeDir().path().resolve(SOCKET);
                accept(dest.qmp(), "unix:" + sock, options.postcopy());
                MigrationDriver driver = new MigrationDriver(source.qmp(), source.name(), options, listener,
                        m.stopReason(), destProblem);
                if (!copies.isEmpty()) {
                    driver.beforeSwitchover(() -> StorageCopy.complete(source.qmp(), copies));
                }
                MigrationResult r = driver.run("unix:" + sock, newName);
                streamed = true;
                if (!copies.isEmpty()) {
                    awaitIncomingDone(dest);
                    StorageCopy.stopServing(dest.qmp());
                    dest.qmp().call("cont", null, Duration.ofSeconds(30));
                }
                awaitRunning(dest);
                source.end().run();
                LOG.info("guest {} now runs as {} (pid {}); downtime {} ms", source.name(), newName, dest.pid(),
                        r.downtimeMs());
                m.result().complete(r);
            } catch (RuntimeException e) {
                boolean sourceKeeps = !streamed && !(e instanceof MigrationException me && !me.sourceRunning());
                if (sourceKeeps) {
                    if (!copies.isEmpty()) {
                        StorageCopy.abort(source.qmp(), copies);
                    }
                    if (dest != null) {
                        dest.kill();
                        dest.close();
                        m.destination(null);
                    }
                    if (created) {
                        StorageCopy.deleteTargets(copies);
                    }
                }
                m.result().completeExceptionally(e instanceof MigrationException ? e
                        : new MigrationException("migration of guest '" + source.name() + "' failed: " + e.getMessage()
                        + (sourceKeeps ? "; the guest keeps running on the source" : "; the guest's state is on "
                        + "the destination '" + newName + "' (paused), the source is paused"), sourceKeeps, e));
            }
        });
        return m;
    }

    /** Waits until a destination started with {@code -S} has loaded the whole stream (leaves {@code inmigrate}). */
    private static void awaitIncomingDone(Guest dest) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        try (MigrationWakeups wake = MigrationWakeups.on(dest.qmp(), "MIGRATION")) {
            while (dest.qmp().call("query-status", null, Duration.ofSeconds(30)).path("status").asText()
                    .equals("inmigrate")) {
                if (!dest.isAlive() || System.nanoTime() > deadline) {
                    throw new MigrationException("the destination QEMU did not finish loading the migration stream",
                            false, null);
                }
                wake.await(Duration.ofMillis(250));
            }
        }
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

    /**
     * {@code spec} with a VNC display whose port can be bound now: the source still listens on its own while the
     * destination starts on this host, so the destination takes the first free display (libvirt's autoport way; a
     * port taken between this probe and QEMU's bind fails the launch with QEMU's message, the source keeps running).
     */
    static GuestSpec withFreeVncDisplay(GuestSpec spec) {
        var v = spec.vnc();
        if (v == null || VncAutoport.free(v.host(), v.port())) {
            return spec;
        }
        int d = VncAutoport.freeDisplay(v.host()).orElseThrow(() -> new MigrationRefusedException(spec.name(),
                List.of("no free VNC port in 5900-" + (5900 + VncAutoport.MAX_DISPLAYS - 1) + " on " + v.host()
                        + " for the destination")));
        LOG.info("guest {}: VNC display {} is taken (by the source), the destination uses {}", spec.name(), v.display(),
                d);
        return spec.toBuilder().vnc(new VncSpec(v.host(), d, v.passwordFile(), v.password())).build();
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

    /**
     * Waits up to 60 s for a destination's vCPUs to run; its {@code RESUME} event ends each wait early. A move to a
     * URI ({@link #toUri}) completes when the source is done: a destination QEMU that this process launched resumes
     * on its own right after, and this waits for that.
     *
     * <pre>{@code
     * LiveMigration.toUri(MigrationSource.of(src), uri, options, listener).await(Duration.ofMinutes(10));
     * LiveMigration.awaitRunning(dest);   // dest: launched with incomingArgs(), accept(dest.qmp(), uri, ...)
     * }</pre>
     *
     * @throws MigrationException when the destination exits or does not run within 60 s
     */
    public static void awaitRunning(Guest dest) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        try (MigrationWakeups wake = MigrationWakeups.on(dest.qmp(), "RESUME")) {
            while (!dest.qmp().call("query-status", null, Duration.ofSeconds(30)).path("running").asBoolean()) {
                if (!dest.isAlive() || System.nanoTime() > deadline) {
                    throw new MigrationException("the destination QEMU did not start running the guest after "
                            + "migration", false, null);
                }
                wake.await(Duration.ofMillis(250));
            }
        }
    }

    static void start(String threadName, Runnable body) {
        Thread t = new Thread(body, threadName);
        t.setDaemon(true);
        t.start();
    }
}
