package io.kvmj.launcher.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kvmj.core.image.QemuImg;
import io.kvmj.launcher.storage.DriveInfo;
import io.kvmj.launcher.storage.Drives;
import io.kvmj.launcher.storage.LiveStorage;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.TypeConversionException;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code kvmj disk snapshot NAME DRIVE [--file OVERLAY]}: an external snapshot; a new qcow2 overlay (backed by the
 * current active layer) becomes the drive's active layer and the previous one freezes.
 */
@Command(name = "snapshot", mixinStandardHelpOptions = true,
    description = {"Take an external snapshot of a running guest's drive: a new qcow2 overlay becomes the active "
        + "layer, the current image freezes (copy it, or undo the snapshot later with 'kvmj disk commit').",
        "Default overlay: next to the active image, named IMAGE-YYYYMMDDTHHMMSSZ.qcow2 (UTC)."})
public final class DiskSnapshotCommand implements Callable<Integer> {
    @Mixin
    DiskTarget disk;

    @Option(names = {"-o", "--overlay", "--file"}, paramLabel = "OVERLAY",
        description = "The new overlay file (must not exist).")
    Path file;

    @Option(names = "--node", paramLabel = "NODE", converter = NodeNameConverter.class,
        description = "Node name of the new layer (default DRIVE-snapN).")
    String node;

    @Option(names = "--json", description = "Print the result and the drive's new chain as JSON.")
    boolean json;

    /** Checks {@code --node} the way QEMU will; a bad name is a usage error. */
    static final class NodeNameConverter implements ITypeConverter<String> {
        @Override
        public String convert(String value) {
            try {
                return DiskSupport.checkNodeName(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    @Override
    public Integer call() {
        return disk.withDrive((qmp, guest, d) -> {
            Path overlay = DiskSupport.requireAbsent(file != null ? file.toAbsolutePath().normalize()
                : DiskSupport.defaultOverlay(d.file(), Instant.now()));
            String newNode = node != null ? node
                : DiskSupport.newNodeName(d.id(), Drives.nodeNames(qmp));
            new LiveStorage(qmp, new QemuImg()).externalSnapshot(d.activeNode(), overlay, newNode);
            DriveInfo after = DiskSupport.current(qmp, d.id());
            PrintWriter out = disk.out();
            if (json) {
                ObjectNode o = DiskSupport.result(guest.name(), "snapshot", after).put("overlay", overlay.toString())
                    .put("node", newNode).put("frozenNode", d.activeNode()).put("frozenFile", d.file());
                out.println(Json.pretty(o));
            } else {
                out.println(d.id() + ": new active layer " + after.file() + " (node " + after.activeNode()
                    + "), backed by " + d.file() + " (node " + d.activeNode() + ", now read-only)");
            }
            return ExitCodes.OK;
        });
    }
}
