package io.kvmj.launcher.backend;

import io.kvmj.launcher.GuestException;
import java.time.Duration;
import java.util.List;
import java.util.function.BiConsumer;
import org.libvirt.Domain;
import org.libvirt.DomainBlockJobInfo;
import org.libvirt.Error;
import org.libvirt.LibvirtException;

/**
 * The disk jobs of {@link LibvirtBackend} on a running domain: an external disk-only snapshot
 * ({@code virDomainSnapshotCreateXML}) and an active block commit pivoted once ready ({@code virDomainBlockCommit},
 * {@code virDomainBlockJobAbort} PIVOT), as {@code virsh snapshot-create --disk-only} and {@code virsh blockcommit
 * --active --pivot} do them. Block QMP commands are never sent behind libvirt's back.
 *
 * <pre>{@code
 * LibvirtBlockJobs.snapshot(domain, "vda", "/vm/vda-snap1.qcow2", false);
 * LibvirtBlockJobs.commit(domain, "vda", "/vm/vda.qcow2", (done, total) -> { });
 * }</pre>
 */
final class LibvirtBlockJobs {
    /** {@code VIR_DOMAIN_SNAPSHOT_CREATE_NO_METADATA | DISK_ONLY | ATOMIC}. */
    static final int SNAPSHOT_DISK_ONLY = 4 | 16 | 128;
    /** {@code VIR_DOMAIN_SNAPSHOT_CREATE_QUIESCE}: freeze the guest's filesystems through its agent around it. */
    static final int SNAPSHOT_QUIESCE = 64;
    /** {@code VIR_DOMAIN_BLOCK_COMMIT_ACTIVE}: commit the active layer (the job then waits for a pivot). */
    static final int COMMIT_ACTIVE = 4;
    /** {@code VIR_DOMAIN_BLOCK_JOB_ABORT_PIVOT}: end a ready commit by switching the disk to its base. */
    static final int JOB_PIVOT = 2;
    private static final Duration POLL = Duration.ofMillis(100);

    private LibvirtBlockJobs() {
    }

    /**
     * External disk-only snapshot of disk {@code target}: libvirt creates the qcow2 {@code overlay} backed by the
     * current active image and makes it the active layer; no snapshot metadata is kept.
     */
    static void snapshot(Domain d, String target, String overlay, boolean quiesce) throws LibvirtException {
        String xml = LibvirtDiskXml.externalSnapshot(LibvirtDiskXml.disks(d.getXMLDesc(0)), target, overlay);
        d.snapshotCreateXML(xml, SNAPSHOT_DISK_ONLY | (quiesce ? SNAPSHOT_QUIESCE : 0)).free(); // no metadata: a bare handle
    }

    /**
     * The file an active commit of {@code disk} goes into: {@code base} when it is one of its backing files, the one
     * directly below the active layer when {@code base} is null.
     *
     * @throws GuestException           the disk has no backing image
     * @throws IllegalArgumentException {@code base} is not one of its backing files
     */
    static String commitBase(LibvirtDisk disk, String base) {
        List<String> backing = disk.chain().stream().skip(1).map(BackendDisk.Layer::file).toList();
        if (backing.isEmpty()) {
            throw new GuestException("drive '" + disk.target() + "' has no backing image (" + (disk.inserted()
                    ? disk.file() + " stands alone" : "no medium") + "): nothing to commit");
        }
        if (base == null) {
            return backing.get(0);
        }
        if (!backing.contains(base)) {
            throw new IllegalArgumentException(base + " is not a backing file of drive '" + disk.target()
                    + "'; backing files: " + String.join(", ", backing));
        }
        return base;
    }

    /**
     * Active commit of disk {@code target} into {@code base}, pivoted once ready; {@code progress} gets (done, total)
     * bytes. An interrupt (or any failure while it runs) cancels the job: the disk stays on its active layer.
     */
    static void commit(Domain d, String name, String target, String base, BiConsumer<Long, Long> progress)
            throws LibvirtException, InterruptedException {
        d.blockCommit(target, base, null, 0, COMMIT_ACTIVE);
        try {
            while (true) {
                DomainBlockJobInfo info = d.getBlockJobInfo(target, 0);
                if (info.type == 0 && info.end == 0) {
                    throw new GuestException(name + ": the block commit of " + target + " ended before it was ready "
                            + "(the disk stays on its active layer; libvirt's log says why)");
                }
                progress.accept(info.cur, info.end);
                if (info.end > 0 && info.cur == info.end) {
                    try {
                        d.blockJobAbort(target, JOB_PIVOT);
                        return;
                    } catch (LibvirtException e) {
                        if (e.getError() == null || e.getError().getCode() != Error.ErrorNumber.VIR_ERR_BLOCK_COPY_ACTIVE) {
                            throw e;
                        }
                        // copied but not yet ready for the pivot: poll again
                    }
                }
                Thread.sleep(POLL.toMillis());
            }
        } catch (InterruptedException | RuntimeException | LibvirtException e) {
            try {
                d.blockJobAbort(target, 0);
            } catch (LibvirtException ignored) {
                // no job left to cancel
            }
            throw e;
        }
    }
}
