package io.kvmj.launcher.migrate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kvmj.core.image.ByteSize;
import io.kvmj.core.image.CreateOptions;
import io.kvmj.core.image.ImageFormat;
import io.kvmj.core.image.QemuImg;
import io.kvmj.core.model.DiskSource;
import io.kvmj.core.model.DiskSpec;
import io.kvmj.core.model.GuestSpec;
import io.kvmj.launcher.storage.DriveInfo;
import io.kvmj.launcher.storage.Drives;
import io.kvmj.qmp.QmpMonitor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Migration with non-shared storage ({@code kvmj migrate --copy-storage}), done the way libvirt does
 * {@code virsh migrate --copy-storage-all}: the destination QEMU (started with {@code -incoming defer -S} on new,
 * empty disk files of the same virtual size and format) serves its disks over NBD ({@code nbd-server-start} +
 * {@code block-export-add} on a unix socket in its runtime directory); the source adds an NBD client node per disk
 * and mirrors into it ({@code blockdev-mirror sync=full}); once every mirror is {@code ready} the RAM migration
 * runs with {@code pause-before-switchover}, and in {@code pre-switchover} (source paused, disks still active) each
 * mirror is ended with a soft {@code block-job-cancel}, which for a ready mirror flushes the rest and completes
 * without a pivot (libvirt's {@code qemuMigrationSrcNBDCopyCancel}); then {@code migrate-continue}. The destination
 * stops its NBD server and is resumed with {@code cont}.
 *
 * <pre>{@code
 * List<StorageCopy.Target> t = StorageCopy.plan(spec, "vm1-b", Map.of());   // root.qcow2 -> root.vm1-b.qcow2
 * StorageCopy.create(t);                     // qemu-img create, same format and virtual size
 * GuestSpec dest = StorageCopy.destinationSpec(spec, t);
 * }</pre>
 *
 * <p>Copied: every writable disk backed by an image file. Read-only file disks stay shared (the destination opens
 * the same file). Host block devices and NBD disks are refused. A target file that exists is refused (never
 * overwritten); on failure or cancel the created files are removed.
 */
public final class StorageCopy {
    private static final Logger LOG = LoggerFactory.getLogger(StorageCopy.class);
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final Duration CALL = Duration.ofSeconds(30);
    /** The NBD socket in the destination's runtime directory. */
    public static final String SOCKET = "nbd.sock";

    /**
     * One disk to copy.
     *
     * @param disk   the source's disk
     * @param source its image file
     * @param target the new file the destination runs on
     */
    public record Target(DiskSpec disk, Path source, Path target) {
        String formatNode() {
            return disk.id() + "-fmt";
        }

        String clientNode() {
            return "kvmj-mig-" + disk.id();
        }

        String jobId() {
            return "kvmj-mirror-" + disk.id();
        }
    }

    private StorageCopy() {
    }

    /**
     * The disks of {@code spec} to copy and their new files: {@code targets.get(diskId)} when given, else next to
     * the source as {@code STEM.NEWNAME.EXT} ({@code root.qcow2} → {@code root.vm1-b.qcow2}).
     *
     * @throws MigrationRefusedException for a host-device or NBD disk, an unknown disk id in {@code targets}, or a
     *                                   target that exists or whose directory does not
     */
    public static List<Target> plan(GuestSpec spec, String newName, Map<String, Path> targets) {
        List<String> problems = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        List<Target> out = new ArrayList<>();
        for (DiskSpec d : spec.disks()) {
            ids.add(d.id());
            if (d.readOnly()) {
                continue;
            }
            if (!(d.source() instanceof DiskSource.File f)) {
                problems.add("disk '" + d.id() + "' is a " + (d.source() instanceof DiskSource.Nbd ? "NBD export"
                        : "host block device") + ": --copy-storage copies image files only");
                continue;
            }
            Path src = f.path().toAbsolutePath().normalize();
            Path dst = targets.containsKey(d.id()) ? targets.get(d.id()).toAbsolutePath().normalize()
                    : derived(src, newName);
            if (Files.exists(dst)) {
                problems.add("disk '" + d.id() + "': " + dst + " exists; --copy-storage does not overwrite");
            } else if (dst.getParent() == null || !Files.isDirectory(dst.getParent())) {
                problems.add("disk '" + d.id() + "': directory of " + dst + " does not exist");
            } else if (dst.equals(src)) {
                problems.add("disk '" + d.id() + "': the target is the source image");
            }
            out.add(new Target(d, src, dst));
        }
        for (String id : targets.keySet()) {
            if (!ids.contains(id)) {
                problems.add("no disk '" + id + "' to copy (disks: " + String.join(", ", ids) + ")");
            }
        }
        if (out.isEmpty() && problems.isEmpty()) {
            problems.add("--copy-storage: the guest has no writable image-file disk to copy");
        }
        if (!problems.isEmpty()) {
            throw new MigrationRefusedException(spec.name(), problems);
        }
        return List.copyOf(out);
    }

    /** {@code root.qcow2} → {@code root.NEWNAME.qcow2} in the same directory; no extension: {@code root.NEWNAME}. */
    static Path derived(Path source, String newName) {
        String file = source.getFileName().toString();
        int dot = file.lastIndexOf('.');
        String name = dot > 0 ? file.substring(0, dot) + "." + newName + file.substring(dot) : file + "." + newName;
        return source.resolveSibling(name);
    }

    /** {@code spec} with each copied disk on its new file (all else unchanged). */
    public static GuestSpec destinationSpec(GuestSpec spec, List<Target> targets) {
        GuestSpec.Builder b = spec.toBuilder().clearDisks();
        for (DiskSpec d : spec.disks()) {
            DiskSpec disk = d;
            for (Target t : targets) {
                if (t.disk().id().equals(d.id())) {
                    DiskSpec.Builder nb = DiskSpec.builder(d.id(), DiskSource.file(t.target()));
                    copyTuning(d, nb);
                    disk = nb.build();
                }
            }
            b.disk(disk);
        }
        return b.build();
    }

    private static void copyTuning(DiskSpec d, DiskSpec.Builder b) {
        b.format(d.format()).bus(d.bus()).cache(d.cache()).aio(d.aio()).readOnly(d.readOnly())
                .disposable(d.disposable()).raidOrZfsInGuest(d.raidOrZfsInGuest()).serial(d.serial())
                .bootIndex(d.bootIndex()).iothread(d.iothread()).discard(d.discard()).detectZeroes(d.detectZeroes())
                .blockSizes(d.logicalBlockSize(), d.physicalBlockSize()).wwn(d.wwn()).rotationRate(d.rotationRate())
                .pciSlot(d.pciSlot()); // a hot-plugged disk stays in its slot: QEMU's stream names the PCI path
    }

    /**
     * Creates the target files with {@code qemu-img create}, same format and virtual size as the running disk
     * ({@code query-block} on the source). On failure removes what it created.
     */
    public static void create(QmpMonitor source, List<Target> targets) {
        Map<String, Long> sizes = virtualSizes(source);
        Map<String, String> active = activeNodes(source);
        List<Path> made = new ArrayList<>();
        try {
            for (Target t : targets) {
                String node = active.getOrDefault(t.disk().id(), t.formatNode());
                Long size = sizes.get(node);
                if (size == null) {
                    throw new MigrationException("the source QEMU has no block node " + node + " for disk '"
                            + t.disk().id() + "'", true, null);
                }
                new QemuImg().create(t.target(), CreateOptions.builder(ImageFormat.of(t.disk().format().driver()))
                        .size(ByteSize.ofBytes(size)).build());
                made.add(t.target());
                LOG.info("disk {}: created {} ({} bytes, {}) for the copy of {}", t.disk().id(), t.target(), size,
                        t.disk().format().driver(), t.source());
            }
        } catch (RuntimeException e) {
            made.forEach(StorageCopy::deleteQuietly);
            throw e instanceof MigrationException me ? me : new MigrationException("cannot create the disk copies: "
                    + e.getMessage() + "; the guest keeps running on the source", true, e);
        }
    }

    /**
     * Drive id → the node the guest writes to now: {@code ID-fmt} as launched, the overlay's node after an external
     * snapshot. The mirror copies from it (with {@code sync=full} the whole chain below, flattened into the target).
     * A disk with no device (a bare {@code -blockdev}) has no drive here: its node is {@code ID-fmt}.
     */
    static Map<String, String> activeNodes(QmpMonitor qmp) {
        Map<String, String> out = new java.util.HashMap<>();
        for (DriveInfo d : Drives.query(qmp)) {
            if (d.activeNode() != null) {
                out.put(d.id(), d.activeNode());
            }
        }
        return out;
    }

    /** Format node name → virtual size, from {@code query-named-block-nodes}. */
    static Map<String, Long> virtualSizes(QmpMonitor qmp) {
        Map<String, Long> out = new java.util.HashMap<>();
        for (JsonNode n : qmp.call("query-named-block-nodes", null, CALL)) {
            out.put(n.path("node-name").asText(), n.path("image").path("virtual-size").asLong());
        }
        return out;
    }

    /** On the destination (started with {@code -incoming defer}): serves each target disk writable over NBD. */
    public static void serve(QmpMonitor destination, Path socket, List<Target> targets) {
        ObjectNode addr = F.objectNode().put("type", "unix");
        addr.putObject("data").put("path", socket.toString());
        ObjectNode start = F.objectNode();
        start.set("addr", addr);
        destination.call("nbd-server-start", start, CALL);
        for (Target t : targets) {
            destination.call("block-export-add", F.objectNode().put("type", "nbd").put("id", t.clientNode())
                    .put("node-name", t.formatNode()).put("name", t.disk().id()).put("writable", true), CALL);
        }
    }

    /** On the destination after the migration: stops the NBD server (its exports go with it). */
    public static void stopServing(QmpMonitor destination) {
        destination.call("nbd-server-stop", null, CALL);
    }

    /**
     * On the source: an NBD client node and a {@code blockdev-mirror sync=full} per disk, then waits until all are
     * {@code ready}, reporting progress as status {@code "mirror"}. Throws when a mirror fails or {@code stop}
     * gives a reason (then the mirrors are aborted, see {@link #abort}).
     */
    public static void mirror(QmpMonitor source, Path socket, List<Target> targets, MigrationListener listener,
                              Supplier<String> stop, long speedMiBps) {
        long started = System.nanoTime();
        Map<String, String> active = activeNodes(source);
        for (Target t : targets) {
            ObjectNode add = F.objectNode().put("driver", "nbd").put("node-name", t.clientNode())
                    .put("export", t.disk().id());
            add.putObject("server").put("type", "unix").put("path", socket.toString());
            source.call("blockdev-add", add, CALL);
            ObjectNode m = F.objectNode().put("job-id", t.jobId()).put("device", active.getOrDefault(t.disk().id(), t.formatNode()))
                    .put("target", t.clientNode()).put("sync", "full").put("auto-dismiss", false);
            if (speedMiBps > 0) {
                m.put("speed", speedMiBps * 1024 * 1024);
            }
            source.call("blockdev-mirror", m, CALL);
        }
        while (true) {
            long done = 0;
            long total = 0;
            int ready = 0;
            for (Target t : targets) {
                JsonNode j = job(source, t.jobId());
                if (j == null || j.path("status").asText().equals("concluded")) {
                    String err = j == null ? "vanished" : j.path("error").asText("ended before it was ready");
                    throw new MigrationException("copying disk '" + t.disk().id() + "' to the destination failed: "
                            + err, true, null);
                }
                done += j.path("current-progress").asLong();
                total += j.path("total-progress").asLong();
                if (j.path("status").asText().equals("ready")) {
                    ready++;
                }
            }
            Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
            listener.progress(new MigrationProgress("mirror", elapsed, done, Math.max(0, total - done), total, 0,
                    4096, 0, null, 0));
            if (ready == targets.size()) {
                LOG.info("disk mirrors ready after {} ms ({} bytes)", elapsed.toMillis(), done);
                return;
            }
            String why = stop.get();
            if (why != null) {
                throw new MigrationException("migration cancelled (" + why + ") while copying the disks: the guest "
                        + "keeps running on the source, nothing lost", true, null);
            }
            MigrationDriver.sleep(Duration.ofMillis(200));
        }
    }

    /**
     * At {@code pre-switchover} (source paused): ends each ready mirror with a soft {@code block-job-cancel}
     * (flush the rest, no pivot: the source keeps its own image), checks it ended without error, and removes the
     * NBD client nodes.
     */
    public static void complete(QmpMonitor source, List<Target> targets) {
        for (Target t : targets) {
            source.call("block-job-cancel", F.objectNode().put("device", t.jobId()).put("force", false), CALL);
        }
        for (Target t : targets) {
            JsonNode j = awaitConcluded(source, t.jobId());
            String err = j == null ? null : j.path("error").asText(null);
            dismiss(source, t.jobId());
            if (err != null) {
                throw new MigrationException("finishing the copy of disk '" + t.disk().id() + "' failed: " + err,
                        true, null);
            }
        }
        for (Target t : targets) {
            source.call("blockdev-del", F.objectNode().put("node-name", t.clientNode()), CALL);
        }
        LOG.info("disk copies complete ({} disks)", targets.size());
    }

    /** On failure or cancel: force-cancels any mirror and removes the NBD client nodes; errors only logged. */
    public static void abort(QmpMonitor source, List<Target> targets) {
        for (Target t : targets) {
            try {
                JsonNode j = job(source, t.jobId());
                if (j != null && !j.path("status").asText().equals("concluded")) {
                    source.call("job-cancel", F.objectNode().put("id", t.jobId()), CALL);
                }
                if (j != null) {
                    awaitConcluded(source, t.jobId());
                    dismiss(source, t.jobId());
                }
            } catch (RuntimeException e) {
                LOG.warn("disk {}: cancelling mirror: {}", t.disk().id(), e.toString());
            }
            try {
                source.call("blockdev-del", F.objectNode().put("node-name", t.clientNode()), CALL);
            } catch (RuntimeException e) {
                LOG.debug("disk {}: blockdev-del {}: {}", t.disk().id(), t.clientNode(), e.toString());
            }
        }
    }

    /** Removes the target files (after a failed or cancelled migration). */
    public static void deleteTargets(List<Target> targets) {
        targets.forEach(t -> deleteQuietly(t.target()));
    }

    private static JsonNode awaitConcluded(QmpMonitor qmp, String id) {
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (true) {
            JsonNode j = job(qmp, id);
            if (j == null || j.path("status").asText().equals("concluded")) {
                return j;
            }
            if (System.nanoTime() > deadline) {
                throw new MigrationException("disk mirror " + id + " did not end within 5 minutes", true, null);
            }
            MigrationDriver.sleep(Duration.ofMillis(50));
        }
    }

    private static void dismiss(QmpMonitor qmp, String id) {
        try {
            qmp.call("job-dismiss", F.objectNode().put("id", id), CALL);
        } catch (RuntimeException e) {
            LOG.debug("job-dismiss {}: {}", id, e.toString());
        }
    }

    private static JsonNode job(QmpMonitor qmp, String id) {
        for (JsonNode j : qmp.call("query-jobs", null, CALL)) {
            if (j.path("id").asText().equals(id)) {
                return j;
            }
        }
        return null;
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            LOG.warn("cannot delete {}: {}", p, e.toString());
        }
    }
}
