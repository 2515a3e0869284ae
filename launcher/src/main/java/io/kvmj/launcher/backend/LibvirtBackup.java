package io.kvmj.launcher.backend;

import io.kvmj.core.image.ImageFormat;
import io.kvmj.core.libvirt.DomainXml;
import io.kvmj.launcher.GuestException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.BiConsumer;
import org.libvirt.Domain;
import org.libvirt.DomainJobInfo;
import org.libvirt.DomainJobStats;
import org.libvirt.LibvirtException;
import org.slf4j.LoggerFactory;

/**
 * A push-mode full backup of one disk of a running domain, as {@code virsh backup-begin} with a {@code <domainbackup>}
 * naming only that disk ({@link DomainXml#diskBackup}), then {@code virsh domjobinfo} until the job ends: libvirt
 * creates the target image (a path on the daemon's host) and QEMU copies what the guest sees at the moment the backup
 * starts ({@code blockdev-backup sync=full}). A failure, the timeout or an interrupt aborts the job
 * ({@code virDomainAbortJob}) and the partial target is removed. The target must not exist: libvirt would truncate an
 * existing file, so only a daemon on this host (where kvmj can check) is backed up to.
 *
 * <pre>{@code
 * try (LibvirtBackend lv = LibvirtBackend.connect("qemu:///system")) {
 *     BackendDisk vda = LibvirtBackup.disk(lv, "vm1", "vda", Path.of("/vm/vda-backup.qcow2"), ImageFormat.QCOW2,
 *             Duration.ofHours(1), (done, total) -> System.err.println(done + "/" + total));
 * }
 * }</pre>
 */
public final class LibvirtBackup {
    /** {@code VIR_DOMAIN_JOB_NONE}: no job (the backup has ended). */
    static final int JOB_NONE = 0;
    /** {@code VIR_DOMAIN_JOB_COMPLETED}: the type of a finished job's statistics when it succeeded. */
    static final int JOB_COMPLETED = 3;
    /** {@code VIR_DOMAIN_JOB_STATS_COMPLETED}: the statistics of the job that ended last. */
    static final int STATS_COMPLETED = 1;
    private static final Duration POLL = Duration.ofMillis(100);
    private static final Duration ABORT_WAIT = Duration.ofSeconds(15);

    private LibvirtBackup() {
    }

    /**
     * {@link GuestBackend#diskBackup} on {@code lv}, {@code progress} getting (done, total) bytes while it copies.
     *
     * @throws IllegalArgumentException {@code file} exists, or the daemon is not on this host; nothing was done
     * @throws GuestException           no such guest or disk, not running, or the backup failed (target removed)
     * @throws InterruptedException     this thread was interrupted: the job was aborted, the target removed
     */
    public static BackendDisk disk(LibvirtBackend lv, String name, String drive, Path file, ImageFormat format,
                                   Duration timeout, BiConsumer<Long, Long> progress) throws InterruptedException {
        if (!lv.onThisHost()) {
            throw new IllegalArgumentException("a backup needs a daemon on this host: kvmj cannot check that the target "
                    + "does not exist on " + lv.uri() + "'s host, and libvirt would overwrite it");
        }
        Path target = file.toAbsolutePath().normalize();
        if (Files.exists(target)) {
            throw new IllegalArgumentException(target + " already exists; refusing to overwrite it");
        }
        if (!lv.require(name).active()) {
            throw new GuestException("guest '" + name + "' is not running under " + lv.uri());
        }
        LibvirtDisk d = lv.libvirtDisk(name, drive);
        if (!d.inserted()) {
            throw new GuestException(name + ": " + drive + " has no medium");
        }
        boolean ok = false;
        try {
            run(lv.domain(name), name, d.target(), target.toString(), format.qemuName(), timeout, progress);
            ok = true;
        } catch (LibvirtException e) {
            throw new GuestException(name + ": libvirt (" + lv.uri() + "): " + (e.getError() != null
                    && e.getError().getMessage() != null ? e.getError().getMessage() : e.getMessage()), e);
        } finally {
            if (!ok) {
                try {
                    Files.deleteIfExists(target);
                } catch (IOException e) {
                    LoggerFactory.getLogger(LibvirtBackup.class).warn("could not remove the partial backup {}: {}",
                            target, e.toString());
                }
            }
        }
        return lv.libvirtDisk(name, drive).toBackendDisk();
    }

    /**
     * Backs up disk {@code target} of domain {@code d} into the new image {@code file} of {@code format} and waits up to
     * {@code timeout} for the job to end; {@code progress} gets (done, total) bytes while it copies.
     *
     * @throws GuestException       the backup failed or did not end within {@code timeout} (aborted)
     * @throws InterruptedException this thread was interrupted (the job was aborted)
     */
    static void run(Domain d, String name, String target, String file, String format, Duration timeout,
                    BiConsumer<Long, Long> progress) throws LibvirtException, InterruptedException {
        String xml = DomainXml.diskBackup(LibvirtDiskXml.disks(d.getXMLDesc(0)).stream().map(LibvirtDisk::target)
                .filter(t -> t != null).toList(), target, file, format);
        d.backupBegin(xml, null, 0);
        long end = System.nanoTime() + timeout.toNanos();
        try {
            while (true) {
                DomainJobInfo info = d.getJobInfo();
                if (info.getType() == JOB_NONE) {
                    break;
                }
                progress.accept(info.getDataProcessed(), info.getDataTotal());
                if (System.nanoTime() - end > 0) {
                    throw new GuestException(name + ": the backup of " + target + " did not end within "
                            + timeout.toSeconds() + " s; it was aborted");
                }
                Thread.sleep(POLL.toMillis());
            }
        } catch (InterruptedException | RuntimeException | LibvirtException e) {
            abort(d);
            throw e;
        }
        DomainJobStats done = d.getJobStats(STATS_COMPLETED);
        if (done.type != JOB_COMPLETED) {
            throw new GuestException(name + ": the backup of " + target + " to " + file + " failed (libvirt job "
                    + (done.type == 4 ? "failed" : done.type == 5 ? "cancelled" : "type " + done.type)
                    + "; libvirt's log says why)");
        }
    }

    /** Aborts the domain's job and waits (bounded) until it has ended; quiet when there is none. */
    private static void abort(Domain d) {
        try {
            d.abortJob();
            long end = System.nanoTime() + ABORT_WAIT.toNanos();
            while (d.getJobInfo().getType() != JOB_NONE && System.nanoTime() - end < 0) {
                Thread.sleep(POLL.toMillis());
            }
        } catch (LibvirtException e) {
            // no job left to abort
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
