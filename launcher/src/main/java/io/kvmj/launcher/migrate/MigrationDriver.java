package io.kvmj.launcher.migrate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kvmj.qmp.QmpMonitor;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The source side of one migration over QMP: capabilities and parameters, {@code migrate}, then
 * {@code query-migrate} at each of QEMU's {@code MIGRATION}/{@code MIGRATION_PASS} events ({@link MigrationWakeups})
 * and at least four times a second (progress, stop requests) until QEMU says {@code completed}, switching to
 * post-copy at the end of the first pass when asked. A stop request (cancel, timeout, the destination gone) before
 * post-copy sends {@code migrate_cancel} and waits until the source runs again.
 */
final class MigrationDriver {
    private static final Logger LOG = LoggerFactory.getLogger(MigrationDriver.class);
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final Duration POLL = Duration.ofMillis(250);
    private static final Duration CALL = Duration.ofSeconds(30);
    /** How long to wait for QEMU's final figures after {@code completed} ({@link #settled}), and how often to look. */
    private static final Duration SETTLE = Duration.ofSeconds(2);
    private static final Duration SETTLE_STEP = Duration.ofMillis(2);
    /** "Unlimited": QEMU's default max-bandwidth is 32 MiB/s. */
    private static final long UNLIMITED = 1L << 40;
    private static final Set<String> IN_FLIGHT = Set.of("setup", "active", "pre-switchover", "device", "wait-unplug");

    private final QmpMonitor source;
    private final String name;
    private final MigrationOptions options;
    private final MigrationListener listener;
    /** Why to stop, or null: set by cancel(); the destination check is polled. */
    private final AtomicReference<String> stopReason;
    private final Supplier<String> destinationProblem;
    /** Run at {@code pre-switchover} (source paused, disks active) before {@code migrate-continue}, or null. */
    private Runnable beforeSwitchover;

    MigrationDriver(QmpMonitor source, String name, MigrationOptions options, MigrationListener listener,
                    AtomicReference<String> stopReason, Supplier<String> destinationProblem) {
        this.source = source;
        this.name = name;
        this.options = options;
        this.listener = listener;
        this.stopReason = stopReason;
        this.destinationProblem = destinationProblem;
    }

    /**
     * Makes QEMU pause in {@code pre-switchover} (source stopped, its disks still active) and runs {@code hook}
     * there before {@code migrate-continue}: where {@link StorageCopy} completes its disk mirrors. A hook that
     * throws cancels the migration.
     */
    MigrationDriver beforeSwitchover(Runnable hook) {
        this.beforeSwitchover = hook;
        return this;
    }

    /**
     * {@code migrate-set-capabilities} for kvmj's capabilities on either side; {@code events} is always on (the
     * {@code MIGRATION} and {@code MIGRATION_PASS} events kvmj waits on).
     */
    static void setCapabilities(QmpMonitor qmp, boolean autoConverge, boolean postcopy) {
        setCapabilities(qmp, autoConverge, postcopy, false);
    }

    static void setCapabilities(QmpMonitor qmp, boolean autoConverge, boolean postcopy, boolean pauseBeforeSwitchover) {
        ArrayNode caps = F.arrayNode();
        caps.addObject().put("capability", "events").put("state", true);
        caps.addObject().put("capability", "auto-converge").put("state", autoConverge);
        caps.addObject().put("capability", "postcopy-ram").put("state", postcopy);
        caps.addObject().put("capability", "pause-before-switchover").put("state", pauseBeforeSwitchover);
        ObjectNode args = F.objectNode();
        args.set("capabilities", caps);
        qmp.call("migrate-set-capabilities", args, CALL);
    }

    /** Runs the migration to {@code uri}; returns QEMU's final {@code query-migrate} on completion. */
    MigrationResult run(String uri, String destinationName) {
        JsonNode st = source.call("query-migrate", null, CALL);
        if (IN_FLIGHT.contains(st.path("status").asText()) || st.path("status").asText().startsWith("postcopy")) {
            throw new MigrationException("guest '" + name + "' is already migrating (" + st.path("status").asText()
                    + "); nothing started", true, null);
        }
        setCapabilities(source, options.autoConverge(), options.postcopy(), beforeSwitchover != null);
        ObjectNode params = F.objectNode().put("max-bandwidth",
                options.speedMiBps() == 0 ? UNLIMITED : options.speedMiBps() * 1024 * 1024);
        if (options.maxDowntime() != null) {
            params.put("downtime-limit", options.maxDowntime().toMillis());
        }
        source.call("migrate-set-parameters", params, CALL);
        try (MigrationWakeups wake = MigrationWakeups.on(source, "MIGRATION", "MIGRATION_PASS")) {
            long start = System.nanoTime();
            source.call("migrate", F.objectNode().put("uri", uri), CALL);
            LOG.info("guest {}: migration to {} started", name, destinationName);
            return follow(wake, start, destinationName);
        }
    }

    private MigrationResult follow(MigrationWakeups wake, long start, String destinationName) {
        boolean switched = false;
        boolean continued = false;
        long lastReport = 0;
        String lastStatus = "";
        while (true) {
            JsonNode q = source.call("query-migrate", null, CALL);
            String status = q.path("status").asText();
            Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
            if (!status.equals(lastStatus) || System.nanoTime() - lastReport >= POLL.toNanos()) {
                listener.progress(progress(q, elapsed));
                lastReport = System.nanoTime();
                lastStatus = status;
            }
            switch (status) {
                case "completed" -> {
                    return MigrationResult.of(name, destinationName, switched, settled());
                }
                case "failed", "cancelled" -> throw failed(status, q.path("error-desc").asText(""));
                default -> { }
            }
            if (status.equals("pre-switchover") && beforeSwitchover != null && !continued) {
                continued = true; // QEMU leaves pre-switchover asynchronously: run the hook once
                try {
                    beforeSwitchover.run();
                } catch (RuntimeException e) {
                    throw cancel(wake, "before the switch-over: " + e.getMessage());
                }
                source.call("migrate-continue", F.objectNode().put("state", "pre-switchover"), CALL);
                continue;
            }
            boolean postcopyPhase = status.startsWith("postcopy");
            String why = stopReason.get();
            if (why == null) {
                why = destinationProblem.get();
            }
            if (why == null && elapsed.compareTo(options.timeout()) > 0) {
                why = "timed out after " + options.timeout().toSeconds() + " s";
            }
            if (why != null) {
                if (postcopyPhase) {
                    if (status.equals("postcopy-paused")) {
                        throw new MigrationException("migration of guest '" + name + "' broke in post-copy (" + why
                                + "): the guest's state is split between source and destination; the source is "
                                + "paused (QEMU's migrate-recover can resume it)", false, null);
                    }
                    // post-copy cannot be cancelled: the destination already runs the guest; let it finish
                    LOG.warn("guest {}: {} in post-copy; cannot cancel, completing", name, why);
                } else {
                    throw cancel(wake, why);
                }
            }
            // dirty-sync-count reaches 2 at the end of the first pass (MIGRATION_PASS 2 wakes this loop)
            if (options.postcopy() && !switched && status.equals("active")
                    && q.path("ram").path("dirty-sync-count").asLong() >= 2) {
                source.call("migrate-start-postcopy", null, CALL);
                switched = true;
                LOG.info("guest {}: switched to post-copy after the first pass", name);
            }
            if (postcopyPhase) {
                switched = true;
            }
            wake.await(POLL);
        }
    }

    /**
     * QEMU's figures once they are final: QEMU reports {@code completed} (and sends the event kvmj wakes on) a moment
     * before its migration thread computes {@code total-time} and {@code downtime}, which it does just before moving
     * the source to the {@code postmigrate} run state; a {@code query-migrate} in between reads 0 for both.
     */
    private JsonNode settled() {
        long deadline = System.nanoTime() + SETTLE.toNanos();
        while (!"postmigrate".equals(source.call("query-status", null, CALL).path("status").asText())
                && System.nanoTime() < deadline) {
            LockSupport.parkNanos(SETTLE_STEP.toNanos());
        }
        return source.call("query-migrate", null, CALL);
    }

    private MigrationException cancel(MigrationWakeups wake, String why) {
        try {
            source.call("migrate_cancel", null, CALL);
        } catch (RuntimeException e) {
            LOG.warn("guest {}: migrate_cancel: {}", name, e.toString());
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        String status = "";
        while (System.nanoTime() < deadline) {
            status = source.call("query-migrate", null, CALL).path("status").asText();
            if (!IN_FLIGHT.contains(status) && !status.equals("cancelling")) {
                break;
            }
            wake.await(POLL);
        }
        if (status.equals("completed")) {
            // it finished before the cancel arrived: the destination has the guest
            return new MigrationException("migration of guest '" + name + "' completed before it could be cancelled ("
                    + why + ")", false, null);
        }
        boolean running = sourceRuns();
        return new MigrationException("migration of guest '" + name + "' cancelled (" + why + "): "
                + (running ? "the guest keeps running on the source, nothing lost" : "the source is not running"),
                running, null);
    }

    private MigrationException failed(String status, String error) {
        boolean running = sourceRuns();
        return new MigrationException("migration of guest '" + name + "' " + status
                + (error.isEmpty() ? "" : ": " + error) + "; "
                + (running ? "the guest keeps running on the source, nothing lost" : "the source is not running"),
                running, null);
    }

    /** Waits up to 10 s for the source's vCPUs to run (QEMU restarts them after a failed or cancelled migration). */
    boolean sourceRuns() {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            try {
                if (source.call("query-status", null, CALL).path("running").asBoolean()) {
                    return true;
                }
            } catch (RuntimeException e) {
                return false;
            }
            if (System.nanoTime() > deadline) {
                return false;
            }
            sleep(POLL);
        }
    }

    static MigrationProgress progress(JsonNode q, Duration elapsed) {
        JsonNode ram = q.path("ram");
        return new MigrationProgress(q.path("status").asText(), elapsed, ram.path("transferred").asLong(),
                ram.path("remaining").asLong(), ram.path("total").asLong(), ram.path("dirty-pages-rate").asLong(),
                ram.path("page-size").asLong(4096), ram.path("dirty-sync-count").asLong(),
                q.has("expected-downtime") ? q.get("expected-downtime").asLong() : null, ram.path("mbps").asDouble());
    }

    static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MigrationException("interrupted", true, e);
        }
    }
}
