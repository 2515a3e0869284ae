package io.kvmj.launcher.migrate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kvmj.launcher.GuestException;
import io.kvmj.qmp.QmpMonitor;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleConsumer;

/**
 * Internal snapshots with memory of a running guest whose writable disks are all qcow2 (like {@code virsh
 * snapshot-create} of an internal snapshot): QEMU 7.2's {@code snapshot-save}/{@code snapshot-load}/
 * {@code snapshot-delete} jobs, the VM state going into the first writable disk; listing from
 * {@code query-named-block-nodes}.
 *
 * <pre>{@code
 * InternalSnapshots.create(g.qmp(), "before-upgrade", pct -> {}, Duration.ofMinutes(10));
 * InternalSnapshots.revert(g.qmp(), "before-upgrade", pct -> {}, Duration.ofMinutes(10));
 * List<InternalSnapshots.Entry> all = InternalSnapshots.list(g.qmp());
 * }</pre>
 */
public final class InternalSnapshots {
    private static final Duration CALL = Duration.ofSeconds(30);

    /**
     * One snapshot.
     *
     * @param tag         its name
     * @param id          QEMU's numeric id
     * @param vmStateSize bytes of saved VM state (0: disk-only)
     * @param date        when it was taken
     * @param vmClockMs   guest clock at the time
     */
    public record Entry(String tag, String id, long vmStateSize, Instant date, long vmClockMs) {
    }

    private InternalSnapshots() {
    }

    /** Takes snapshot {@code tag} (disks and memory); the guest pauses during the job and continues after. */
    public static void create(QmpMonitor qmp, String tag, DoubleConsumer percent, Duration timeout) {
        Disks d = disks(qmp);
        if (list(qmp).stream().anyMatch(e -> e.tag().equals(tag))) {
            throw new GuestException("a snapshot named '" + tag + "' exists already");
        }
        ObjectNode a = args(tag, d).put("vmstate", d.vmstate());
        runJob(qmp, "snapshot-save", a, percent, timeout);
    }

    /** Reverts disks and memory to snapshot {@code tag}; the guest continues from there. */
    public static void revert(QmpMonitor qmp, String tag, DoubleConsumer percent, Duration timeout) {
        Disks d = disks(qmp);
        requireExists(qmp, tag);
        boolean running = qmp.call("query-status", null, CALL).path("running").asBoolean();
        runJob(qmp, "snapshot-load", args(tag, d).put("vmstate", d.vmstate()), percent, timeout);
        if (running && !qmp.call("query-status", null, CALL).path("running").asBoolean()) {
            qmp.call("cont", null, CALL);
        }
    }

    /** Deletes snapshot {@code tag} from every disk. */
    public static void delete(QmpMonitor qmp, String tag, DoubleConsumer percent, Duration timeout) {
        Disks d = disks(qmp);
        requireExists(qmp, tag);
        runJob(qmp, "snapshot-delete", args(tag, d), percent, timeout);
    }

    /** The snapshots of the VM-state disk (the first writable qcow2), oldest first. */
    public static List<Entry> list(QmpMonitor qmp) {
        Disks d = disks(qmp);
        List<Entry> out = new ArrayList<>();
        for (JsonNode n : qmp.call("query-named-block-nodes", null, CALL)) {
            if (d.vmstate().equals(n.path("node-name").asText())) {
                for (JsonNode s : n.path("image").path("snapshots")) {
                    out.add(new Entry(s.path("name").asText(), s.path("id").asText(), s.path("vm-state-size").asLong(),
                            Instant.ofEpochSecond(s.path("date-sec").asLong(), s.path("date-nsec").asLong()),
                            s.path("vm-clock-sec").asLong() * 1000 + s.path("vm-clock-nsec").asLong() / 1_000_000));
                }
            }
        }
        return out;
    }

    private static void requireExists(QmpMonitor qmp, String tag) {
        if (list(qmp).stream().noneMatch(e -> e.tag().equals(tag))) {
            throw new GuestException("no snapshot named '" + tag + "'");
        }
    }

    private record Disks(String vmstate, List<String> nodes) {
    }

    /** The writable disks' root nodes; refuses when one is not qcow2 or there is none. */
    private static Disks disks(QmpMonitor qmp) {
        List<String> nodes = new ArrayList<>();
        for (JsonNode b : qmp.call("query-block", null, CALL)) {
            JsonNode in = b.path("inserted");
            if (in.isMissingNode() || in.path("ro").asBoolean()) {
                continue;
            }
            String fmt = in.path("image").path("format").asText(in.path("drv").asText());
            String node = in.path("node-name").asText();
            if (!"qcow2".equals(fmt)) {
                throw new GuestException("internal snapshots need qcow2 on every writable disk; "
                        + b.path("qdev").asText(node) + " is " + fmt);
            }
            nodes.add(node);
        }
        if (nodes.isEmpty()) {
            throw new GuestException("internal snapshots need a writable qcow2 disk to hold the guest's memory");
        }
        return new Disks(nodes.get(0), nodes);
    }

    private static ObjectNode args(String tag, Disks d) {
        ObjectNode a = JsonNodeFactory.instance.objectNode()
                .put("job-id", "kvmj-snap-" + Long.toHexString(System.nanoTime())).put("tag", tag);
        d.nodes().forEach(a.putArray("devices")::add);
        return a;
    }

    /** Starts the job and polls {@code query-jobs} until it concludes; QEMU's error becomes the exception. */
    private static void runJob(QmpMonitor qmp, String command, ObjectNode args, DoubleConsumer percent,
                               Duration timeout) {
        String id = args.get("job-id").asText();
        qmp.call(command, args, CALL);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            JsonNode job = null;
            for (JsonNode j : qmp.call("query-jobs", null, CALL)) {
                if (id.equals(j.path("id").asText())) {
                    job = j;
                }
            }
            if (job == null) {
                percent.accept(100);
                return; // auto-dismissed
            }
            long total = job.path("total-progress").asLong();
            if (total > 0) {
                percent.accept(100.0 * job.path("current-progress").asLong() / total);
            }
            if ("concluded".equals(job.path("status").asText())) {
                qmp.call("job-dismiss", JsonNodeFactory.instance.objectNode().put("id", id), CALL);
                if (job.hasNonNull("error")) {
                    throw new GuestException(command + " " + args.get("tag").asText() + ": " + job.get("error").asText());
                }
                percent.accept(100);
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new GuestException(command + " did not finish within " + timeout.toSeconds() + " s");
            }
            MigrationDriver.sleep(Duration.ofMillis(100));
        }
    }
}
