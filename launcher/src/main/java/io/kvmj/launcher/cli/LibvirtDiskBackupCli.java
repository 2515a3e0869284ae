package io.kvmj.launcher.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kvmj.core.image.ByteSize;
import io.kvmj.launcher.GuestException;
import io.kvmj.launcher.backend.LibvirtBackend;
import io.kvmj.launcher.backend.LibvirtBackup;
import io.kvmj.launcher.backend.LibvirtDisk;
import io.kvmj.launcher.storage.JobProgress;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The libvirt form of {@code disk backup} ({@code kvmj --connect URI disk backup NAME DRIVE TARGET}) through
 * {@link LibvirtBackup}: {@code virDomainBackupBegin} in push mode of that disk alone into TARGET (created by libvirt;
 * {@code --format qcow2|raw}), its job polled up to {@code --job-timeout}, progress on stderr. DRIVE is the target dev.
 * Ctrl-C aborts the job ({@code virDomainAbortJob}) and removes the partial TARGET. {@code --speed} and
 * {@code --qemu-img} have no libvirt form and are refused (exit 2), and so is a remote URI: kvmj could not check that
 * TARGET does not exist on the daemon's host.
 * <pre>{@code kvmj -c qemu:///system disk backup vm1 vda /vm/vda-backup.qcow2 --json}</pre>
 */
final class LibvirtDiskBackupCli {
    private LibvirtDiskBackupCli() {
    }

    static int backup(DiskBackupCommand c, String uri) {
        PrintWriter out = c.disk.out();
        PrintWriter err = c.disk.err();
        var parsed = c.disk.spec.commandLine().getParseResult();
        for (String o : List.of("--speed", "--qemu-img")) {
            if (parsed.hasMatchedOption(o)) {
                return LibvirtDiskCli.usage(err, "backup", o + " is not available with --connect");
            }
        }
        if (!LibvirtBackend.onThisHost(uri)) {
            return LibvirtDiskCli.usage(err, "backup", "a remote --connect URI is not supported: kvmj cannot check that "
                    + "TARGET does not exist on the daemon's host (libvirt would overwrite it); run it there");
        }
        Path target = c.target.toAbsolutePath().normalize();
        if (Files.exists(target)) {
            return LibvirtDiskCli.usage(err, "backup", target + " already exists; refusing to overwrite it");
        }
        try (LibvirtBackend lv = LibvirtBackend.connect(uri)) {
            LibvirtDisk before = lv.libvirtDisk(c.disk.name, c.disk.drive);
            JobProgressPrinter progress = JobProgressPrinter.forConsole(err, "backup " + before.target());
            Thread main = Thread.currentThread();
            Signals.onInterrupt(main::interrupt);
            try {
                LibvirtBackup.disk(lv, c.disk.name, before.target(), target, c.format,
                        Duration.ofSeconds(c.job.jobTimeout), (done, total) -> progress.progress(
                                new JobProgress("backup", "backup", "running", done, total)));
                progress.done();
            } catch (IllegalArgumentException e) {
                return LibvirtDiskCli.usage(err, "backup", e.getMessage());
            } catch (InterruptedException e) {
                progress.failed();
                err.println("kvmj disk backup: interrupted; the backup job was aborted and " + target + " removed");
                err.flush();
                return ExitCodes.INTERRUPTED;
            } catch (GuestException e) {
                progress.failed();
                throw e;
            }
            long size = lv.diskCapacity(c.disk.name, before.target());
            if (c.json) {
                ObjectNode o = Json.object().put("guest", c.disk.name).put("operation", "backup");
                o.set("drive", LibvirtDiskCli.json(lv.libvirtDisk(c.disk.name, before.target()), size));
                o.put("target", target.toString()).put("format", c.format.qemuName()).put("virtualSize", size)
                        .put("connect", uri);
                out.println(Json.pretty(o));
            } else {
                out.println(before.target() + ": backed up " + before.file() + " (" + ByteSize.ofBytes(size).toHuman()
                        + ") to " + target + " (" + c.format.qemuName() + ")");
            }
            out.flush();
            return ExitCodes.OK;
        } catch (GuestException e) {
            return LibvirtDiskCli.failed(err, "backup", e.getMessage());
        }
    }
}
