package io.kvmj.launcher.storage;

import io.kvmj.core.image.ByteSize;
import io.kvmj.core.image.CreateOptions;
import io.kvmj.core.image.ImageFormat;
import io.kvmj.core.image.QemuImg;
import io.kvmj.qmp.QmpErrorException;
import io.kvmj.qmp.QmpMonitor;
import io.kvmj.qmp.command.BlockCommit;
import io.kvmj.qmp.command.BlockResize;
import io.kvmj.qmp.command.BlockStream;
import io.kvmj.qmp.command.BlockdevAdd;
import io.kvmj.qmp.command.BlockdevBackup;
import io.kvmj.qmp.command.BlockdevDel;
import io.kvmj.qmp.command.BlockdevSnapshotSync;
import io.kvmj.qmp.command.QueryNamedBlockNodes;
import io.kvmj.qmp.model.BlockDeviceInfo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Live block operations on a running QEMU, addressed by block node names (the {@code node-name} of
 * the format node a device uses, e.g. {@code disk0}).
 *
 * <ul>
 *   <li>{@link #externalSnapshot}: a new qcow2 overlay becomes the active layer; the old image freezes
 *       and can be copied or backed up consistently.</li>
 *   <li>{@link #resize}: {@code block_resize}; the guest sees the new capacity.</li>
 *   <li>{@link #commit}: {@code block-commit} of the active layer (or an intermediate one) into its base,
 *       completed with {@code job-complete} when ready.</li>
 *   <li>{@link #stream}: {@code block-stream} pulls backing data into the top image so it no longer needs
 *       its backing chain.</li>
 *   <li>{@link #backup}: a point-in-time full copy of a running disk into a new image
 *       ({@code blockdev-backup}).</li>
 * </ul>
 * Jobs run to the end on the calling thread with progress to a {@link JobProgressListener} and are always
 * dismissed; a failure raises {@link BlockJobException} with QEMU's error text. {@link #requestCancel()} (from
 * another thread, e.g. a shutdown hook) cancels the running job, which then raises {@link JobCancelledException}.
 */
public final class LiveStorage {
    private static final AtomicLong IDS = new AtomicLong();

    private final QmpMonitor qmp;
    private final QemuImg qemuImg;
    private final BlockJobRunner jobs;
    private Duration jobTimeout = Duration.ofMinutes(30);
    private long jobSpeed;

    public LiveStorage(QmpMonitor qmp, QemuImg qemuImg) {
        this.qmp = Objects.requireNonNull(qmp, "qmp");
        this.qemuImg = Objects.requireNonNull(qemuImg, "qemuImg");
        this.jobs = new BlockJobRunner(qmp);
    }

    /** Sets how long a job may run before {@link BlockJobException} (default 30 minutes). */
    public LiveStorage jobTimeout(Duration timeout) {
        this.jobTimeout = Objects.requireNonNull(timeout);
        return this;
    }

    /** Limits the copy rate of the jobs started from now on, in bytes per second; 0 (the default) is unlimited. */
    public LiveStorage jobSpeed(long bytesPerSecond) {
        if (bytesPerSecond < 0) {
            throw new IllegalArgumentException("job speed must not be negative: " + bytesPerSecond);
        }
        this.jobSpeed = bytesPerSecond;
        return this;
    }

    /**
     * Cancels the job this object is running, from any thread; returns at once. The thread running the job sends
     * {@code job-cancel} (a forced cancel in QEMU: a mirror or active commit that is already {@code ready} is
     * abandoned, the guest stays on its active layer), waits for the job to conclude, dismisses it, cleans up as
     * after a failure and throws {@link JobCancelledException}. If no job runs yet, none will start on this object
     * (its operation throws {@link JobCancelledException} without starting one).
     *
     * @return the id of the QEMU job being cancelled, empty when none was running
     */
    public Optional<String> requestCancel() {
        return Optional.ofNullable(jobs.requestCancel());
    }

    /**
     * Takes an external snapshot of node {@code nodeName}: QEMU creates the qcow2 {@code overlay} (backing
     * file and format recorded) and switches the guest to it as node {@code overlayNodeName}.
     */
    public void externalSnapshot(String nodeName, Path overlay, String overlayNodeName) {
        if (Files.exists(overlay)) {
            throw new IllegalArgumentException("snapshot file " + overlay + " already exists");
        }
        BlockdevSnapshotSync cmd = new BlockdevSnapshotSync(null, nodeName, overlay.toAbsolutePath().toString(),
            overlayNodeName, "qcow2", "absolute-paths");
        try {
            qmp.call(cmd);
        } catch (QmpErrorException e) {
            throw new BlockJobException("blockdev-snapshot-sync", null, e.description(), e);
        }
    }

    /** Grows (or shrinks) node {@code nodeName} to {@code size} while the guest runs. */
    public void resize(String nodeName, ByteSize size) {
        try {
            qmp.call(BlockResize.node(nodeName, size.bytes()));
        } catch (QmpErrorException e) {
            throw new BlockJobException("block_resize", null, e.description(), e);
        }
    }

    /**
     * Commits {@code topNode} into its backing node. If {@code topNode} is the active layer of device
     * {@code deviceNode} the job waits for ready and pivots the guest onto the base; otherwise (an
     * intermediate image) it ends by itself and the chain skips the committed image.
     *
     * @param deviceNode the active (top-most) node of the drive
     * @param topNode    the image to commit; equal to {@code deviceNode} for an active commit
     * @param baseNode   where to commit to. Null leaves it to QEMU, whose default is the <em>bottom-most</em> image
     *                   of the chain (every layer between is merged into it, checked on QEMU 7.2): pass the direct
     *                   backing node when the deeper base may be shared by other guests ({@code kvmj disk commit}
     *                   does, via {@link Drives})
     */
    public void commit(String deviceNode, String topNode, String baseNode, JobProgressListener listener) {
        String id = jobId("commit");
        String top = deviceNode.equals(topNode) ? null : topNode;
        jobs.run("block-commit", id,
            new BlockCommit(id, deviceNode, baseNode, null, top, null, null, speed(), null, null, false), listener,
            jobTimeout);
    }

    /**
     * Streams backing data into {@code deviceNode} (down to, not including, {@code baseNode}; null for the
     * whole chain), so the top image stands on its own.
     */
    public void stream(String deviceNode, String baseNode, JobProgressListener listener) {
        String id = jobId("stream");
        jobs.run("block-stream", id,
            new BlockStream(id, deviceNode, baseNode, null, null, null, speed(), null, null, false), listener,
            jobTimeout);
    }

    /** {@link #backup(String, long, Path, ImageFormat, JobProgressListener)} at the node's current virtual size. */
    public void backup(String nodeName, Path target, ImageFormat format, JobProgressListener listener) {
        backup(nodeName, virtualSize(nodeName), target, format, listener);
    }

    /** The virtual size of a block node, from {@code query-named-block-nodes}. */
    public long virtualSize(String nodeName) {
        for (BlockDeviceInfo n : qmp.call(QueryNamedBlockNodes.flatNodes())) {
            if (nodeName.equals(n.nodeName())) {
                return n.image() == null ? 0 : n.image().virtualSize();
            }
        }
        throw new IllegalArgumentException("no block node named '" + nodeName + "'");
    }

    /**
     * Copies the current content of running node {@code nodeName} into a new image {@code target}
     * (created here with qemu-img at the node's virtual size), using {@code blockdev-backup sync=full}.
     * The target is attached only for the duration of the job.
     */
    public void backup(String nodeName, long virtualSize, Path target, ImageFormat format, JobProgressListener listener) {
        if (Files.exists(target)) {
            throw new IllegalArgumentException("backup target " + target + " already exists");
        }
        qemuImg.create(target, CreateOptions.builder(format).size(ByteSize.ofBytes(virtualSize)).build());
        String id = jobId("backup");
        String targetNode = id + "-target";
        BlockdevAdd add = BlockdevAdd.of(format.qemuName(), targetNode,
            Map.of("file", Map.of("driver", "file", "filename", target.toAbsolutePath().toString())));
        try {
            qmp.call(add);
        } catch (QmpErrorException e) {
            throw new BlockJobException("blockdev-add", null, e.description(), e);
        }
        try {
            jobs.run("blockdev-backup", id,
                new BlockdevBackup(id, nodeName, targetNode, "full", speed(), null, false), listener, jobTimeout);
        } finally {
            try {
                qmp.call(new BlockdevDel(targetNode));
            } catch (QmpErrorException e) {
                // the job failure (if any) is the more useful error; the node goes away with QEMU anyway
            }
        }
    }

    /** The {@code speed} argument of a job: null (omitted) when unlimited. */
    private Long speed() {
        return jobSpeed > 0 ? jobSpeed : null;
    }

    private static String jobId(String kind) {
        return "kvmj-" + kind + "-" + IDS.incrementAndGet();
    }
}
