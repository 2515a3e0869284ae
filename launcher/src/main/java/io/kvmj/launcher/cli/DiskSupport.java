package io.kvmj.launcher.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kvmj.core.image.QemuImgException;
import io.kvmj.launcher.GuestException;
import io.kvmj.launcher.GuestInfo;
import io.kvmj.launcher.GuestRegistry;
import io.kvmj.launcher.storage.BlockJobException;
import io.kvmj.launcher.storage.CacheFlags;
import io.kvmj.launcher.storage.DriveInfo;
import io.kvmj.launcher.storage.Drives;
import io.kvmj.launcher.storage.ImageLayer;
import io.kvmj.launcher.storage.JobCancelledException;
import io.kvmj.launcher.storage.UnknownDriveException;
import io.kvmj.qmp.QmpErrorException;
import io.kvmj.qmp.QmpException;
import io.kvmj.qmp.QmpMonitor;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Collection;
import java.util.regex.Pattern;
import picocli.CommandLine.Model.CommandSpec;

/** Shared pieces of the {@code kvmj disk} subcommands: connecting, exit codes, JSON, default names. */
final class DiskSupport {
    private static final DateTimeFormatter STAMP =
        DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    private static final Pattern STAMP_SUFFIX = Pattern.compile("-\\d{8}T\\d{6}Z(-\\d+)?$");
    private static final Pattern NODE_NAME = Drives.NODE_NAME;

    /** Work done on a connected guest; returns the exit code. */
    @FunctionalInterface
    interface GuestOp {
        int run(QmpMonitor qmp, GuestInfo guest) throws Exception;
    }

    private DiskSupport() {}

    /**
     * Connects to guest {@code name}, runs {@code op} and maps failures to exit codes: unknown guest or drive, QMP
     * errors, failed jobs, connection problems and qemu-img failures are 1 (QEMU's message on stderr); bad arguments
     * are 2; a job cancelled by an interrupt is 130 (reported by {@link DiskJob}).
     */
    static int withGuest(CommandSpec spec, String name, Duration timeout, GuestOp op) {
        PrintWriter err = spec.commandLine().getErr();
        String cmd = spec.qualifiedName();
        GuestInfo guest = null;
        try {
            guest = GuestRegistry.require(name);
            try (QmpMonitor qmp = GuestRegistry.connect(guest, timeout)) {
                int code = op.run(qmp, guest);
                spec.commandLine().getOut().flush();
                return code;
            }
        } catch (JobCancelledException e) {
            // only an interrupt cancels a job; DiskJob's shutdown hook reports it, and the JVM's exit code wins
            return ExitCodes.INTERRUPTED;
        } catch (GuestException | UnknownDriveException | BlockJobException | DiskFailure | QemuImgException
                 | UncheckedIOException | io.kvmj.launcher.storage.HotplugException e) {
            err.println(cmd + ": " + prefix(guest) + e.getMessage());
            return ExitCodes.FAILED;
        } catch (QmpErrorException e) {
            err.println(cmd + ": " + prefix(guest) + e.errorClass() + ": " + e.description());
            return ExitCodes.FAILED;
        } catch (QmpException e) {
            err.println(cmd + ": " + prefix(guest) + e.getMessage()
                + (e.getMessage() != null && e.getMessage().contains("greeting")
                ? " (QEMU serves one client per QMP socket: is another client connected?)" : ""));
            return ExitCodes.FAILED;
        } catch (IllegalArgumentException e) {
            err.println(cmd + ": " + e.getMessage());
            return ExitCodes.USAGE;
        } catch (Exception e) {
            err.println(cmd + ": internal error: " + e);
            if (Boolean.getBoolean("kvmj.debug")) {
                e.printStackTrace(err);
            }
            return ExitCodes.USAGE;
        } finally {
            err.flush();
        }
    }

    private static String prefix(GuestInfo guest) {
        return guest == null ? "" : "guest " + guest.name() + ": ";
    }

    /** Drive {@code id} as the guest has it now (after an operation). */
    static DriveInfo current(QmpMonitor qmp, String id) {
        return Drives.resolve(Drives.query(qmp), id);
    }

    /** Refuses (exit code 2) a file to be created that exists already. */
    static Path requireAbsent(Path file) {
        if (Files.exists(file)) {
            throw new IllegalArgumentException(file + " already exists; refusing to overwrite it");
        }
        return file;
    }

    /** Fails with exit code 1 when the drive has no medium. */
    static DriveInfo requireInserted(DriveInfo d) {
        if (!d.inserted()) {
            throw new DiskFailure("drive '" + d.id() + "' is empty (no medium inserted)");
        }
        return d;
    }

    /**
     * The default overlay file for an external snapshot: next to the active layer, its name without extension
     * (and without an earlier snapshot's time stamp) plus {@code -YYYYMMDDTHHMMSSZ.qcow2}, numbered if taken.
     *
     * @throws IllegalArgumentException when the active layer is not a regular file (block device, network disk)
     */
    static Path defaultOverlay(String activeFile, Instant now) {
        Path p = activeFile == null || activeFile.startsWith("json:") ? null : Path.of(activeFile);
        if (p == null || !p.isAbsolute() || !Files.isRegularFile(p)) {
            throw new IllegalArgumentException("the active layer " + activeFile + " is not a regular file "
                + "(block device or network disk): give the overlay's path with --file");
        }
        String fn = p.getFileName().toString();
        int dot = fn.lastIndexOf('.');
        String stem = STAMP_SUFFIX.matcher(dot > 0 ? fn.substring(0, dot) : fn).replaceFirst("");
        String base = stem + "-" + STAMP.format(now);
        Path candidate = p.resolveSibling(base + ".qcow2");
        for (int i = 2; Files.exists(candidate); i++) {
            candidate = p.resolveSibling(base + "-" + i + ".qcow2");
        }
        return candidate;
    }

    /**
     * A node name for a new overlay: {@code DRIVE-snapN} with the first unused N, or {@code snapN} when the drive id
     * cannot prefix a node name (QEMU allows 31 characters, starting with a letter).
     */
    static String newNodeName(String driveId, Collection<String> existing) {
        return Drives.newNodeName(driveId, existing);
    }

    /** Checks a user-given node name the way QEMU will. */
    static String checkNodeName(String name) {
        if (!NODE_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("'" + name + "' is not a valid QEMU node name (a letter, then up to "
                + "30 letters, digits, '-', '_' or '.')");
        }
        return name;
    }

    /** A drive as the CLI prints it in JSON. */
    static ObjectNode json(DriveInfo d) {
        ObjectNode o = Json.object().put("drive", d.id()).put("device", d.device()).put("qdev", d.qdev())
            .put("node", d.activeNode()).put("file", d.file()).put("format", d.format())
            .put("virtualSize", d.virtualSize()).put("readOnly", d.readOnly()).put("inserted", d.inserted());
        CacheFlags configured = d.configuredCache() != null ? d.configuredCache() : d.cache();
        if (configured != null) { // what --disk cache= set; guestCache: what the guest's driver runs now
            o.putObject("cache").put("mode", configured.mode()).put("writeback", configured.writeback())
                .put("direct", configured.direct()).put("noFlush", configured.noFlush());
            o.putObject("guestCache").put("mode", d.cache().mode()).put("writeback", d.cache().writeback());
        }
        ArrayNode chain = o.putArray("chain");
        for (ImageLayer l : d.chain()) {
            ObjectNode j = chain.addObject().put("node", l.node()).put("file", l.file()).put("format", l.format())
                .put("virtualSize", l.virtualSize());
            if (l.actualSize() != null) {
                j.put("actualSize", l.actualSize());
            }
            j.put("readOnly", l.readOnly()).put("protocolNode", l.protocolNode()).put("backingFile", l.backingFile());
        }
        return o;
    }

    /** {@code guest}, {@code operation} and the drive after the operation, for the operations' {@code --json}. */
    static ObjectNode result(String guest, String operation, DriveInfo after) {
        ObjectNode o = Json.object().put("guest", guest).put("operation", operation);
        o.set("drive", json(after));
        return o;
    }
}
