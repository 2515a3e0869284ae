package io.kvmj.launcher.migrate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.kvmj.launcher.Guest;
import io.kvmj.launcher.LaunchOptions;
import io.kvmj.launcher.Launcher;
import io.kvmj.launcher.testutil.Requirements;
import io.kvmj.launcher.testutil.TestRuntime;
import io.kvmj.qmp.QmpMonitor;
import io.kvmj.qmp.QmpSubscription;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * kvmj's migration loops wait on QEMU's events, not on a fixed poll ({@link MigrationWakeups}): against real QEMU
 * without a guest ({@code -machine none}, no TCG slot needed), the driver turns on the {@code events} capability on
 * both sides, so QEMU reports each step of the move ({@code MIGRATION}: setup, active, completed) and each pass
 * ({@code MIGRATION_PASS}); a wait ends at such an event; the destination's {@code RESUME} ends the wait for it to
 * run.
 */
class MigrationEventsQmpIT {
    private static final List<String> NONE = List.of("-machine", "none", "-nodefaults", "-display", "none");

    @Test
    @SuppressWarnings("try") // the subscriptions a and b only need closing
    void theMoveIsFollowedByQemusEvents() throws Exception {
        Requirements.qemu();
        TestRuntime.use();
        Launcher launcher = Launcher.create(LaunchOptions.defaults().withQemuBinary(Requirements.qemu()));
        List<String> incoming = new ArrayList<>(NONE);
        incoming.addAll(LiveMigration.incomingArgs());
        try (Guest s = launcher.launchArgv("mev-src", NONE);
             Guest d = launcher.launchArgv("mev-dst", incoming)) {
            Path sock = d.runtimeDir().path().resolve(LiveMigration.SOCKET);
            LiveMigration.accept(d.qmp(), "unix:" + sock, false);
            assertTrue(capability(d.qmp(), "events"), "the destination reports its steps too");

            // a wait with nothing happening runs to its end; QEMU's first MIGRATION event ends the next one early
            List<String> statuses = new CopyOnWriteArrayList<>();
            List<Long> passes = new CopyOnWriteArrayList<>();
            try (QmpSubscription a = s.qmp().subscribe("MIGRATION", e -> statuses.add(e.dataText("status")));
                 QmpSubscription b = s.qmp().subscribe("MIGRATION_PASS", e -> passes.add(e.data().path("pass")
                         .asLong()));
                 MigrationWakeups wake = MigrationWakeups.on(s.qmp(), "MIGRATION")) {
                assertFalse(wake.await(Duration.ofMillis(50)), "no event, no wake-up");
                List<MigrationProgress> progress = new CopyOnWriteArrayList<>();
                MigrationResult r = new MigrationDriver(s.qmp(), "mev-src", MigrationOptions.defaults(),
                        progress::add, new AtomicReference<>(), () -> null).run("unix:" + sock, "mev-dst");
                assertEquals("completed", r.stats().path("status").asText());
                // the result is read once QEMU has its final figures: the source has left 'running' for 'postmigrate'
                assertEquals("postmigrate", s.qmp().call("query-status").path("status").asText());
                assertTrue(capability(s.qmp(), "events"), "the driver turned the events capability on");
                assertTrue(wake.await(Duration.ofSeconds(10)), "QEMU's MIGRATION events woke the waiter");
                awaitSize(statuses, "completed");
                assertEquals(List.of("setup", "active", "completed"), statuses.stream()
                        .filter(x -> !x.equals("device")).toList(), "QEMU's steps, in order: " + statuses);
                assertFalse(passes.isEmpty(), "MIGRATION_PASS for each dirty-bitmap sync");
                assertEquals("completed", progress.get(progress.size() - 1).status(), "the listener saw the end");
            }
            LiveMigration.awaitRunning(d);
            assertTrue(d.qmp().call("query-status").path("running").asBoolean());
        }
    }

    private static boolean capability(QmpMonitor qmp, String name) {
        for (JsonNode c : qmp.call("query-migrate-capabilities")) {
            if (c.path("capability").asText().equals(name)) {
                return c.path("state").asBoolean();
            }
        }
        throw new AssertionError("QEMU has no migration capability " + name);
    }

    /** Events reach listeners on the client's dispatch thread: waits up to 10 s for {@code last}. */
    private static void awaitSize(List<String> seen, String last) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!seen.contains(last) && System.nanoTime() < deadline) {
            MigrationTestGuest.sleep(20);
        }
        assertTrue(seen.contains(last), "saw " + seen);
    }
}
