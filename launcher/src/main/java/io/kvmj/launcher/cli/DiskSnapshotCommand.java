package io.kvmj.launcher.cli;

import io.kvmj.launcher.process.RuntimeDir;
import io.kvmj.launcher.storage.Quiesce;
import io.kvmj.qga.QgaClient;
import io.kvmj.qga.QgaClientOptions;
import io.kvmj.qga.QgaException;
import java.time.Duration;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kvmj.core.image.QemuImg;
import io.kvmj.launcher.storage.DriveInfo;
import io.kvmj.launcher.storage.Drives;
import io.kvmj.launcher.storage.LiveDisks;
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

    @Option(names = "--quiesce", description = "Freeze the guest's filesystems through its guest agent around the "
        + "snapshot (libvirt's --quiesce), so the frozen image holds consistent filesystems; always thawed, also when "
        + "the snapshot fails. Refused when the agent does not answer.")
    boolean quiesce;

    @Option(names = "--agent-timeout", defaultValue = "60", paramLabel = "SECONDS",
        description = "With --quiesce: bound on the agent's freeze and thaw (default ${DEFAULT-VALUE}).")
    long agentTimeout;

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
        String connect = ConnectOption.uri(disk.spec);
        if (connect != null) {
            return LibvirtDiskCli.snapshot(this, connect);
        }
        return disk.withDrive((qmp, guest, d) -> {
            Path overlay = DiskSupport.requireAbsent(file != null ? file.toAbsolutePath().normalize()
                : DiskSupport.defaultOverlay(d.file(), Instant.now()));
            String newNode = node != null ? node
                : DiskSupport.newNodeName(d.id(), Drives.nodeNames(qmp));
            LiveStorage storage = new LiveStorage(qmp, new QemuImg());
            Quiesce.Result<Void> q = null;
            if (quiesce) {
                Path sock = RuntimeDir.locate(guest.name()).agentSocket();
                QgaClientOptions o = QgaClientOptions.builder().commandTimeout(Duration.ofSeconds(agentTimeout)).build();
                try (QgaClient agent = QgaClient.open(sock, o)) {
                    q = Quiesce.around(agent, () -> {
                        storage.externalSnapshot(d.activeNode(), overlay, newNode);
                        return null;
                    });
                } catch (QgaException e) {
                    disk.err().println("kvmj disk snapshot: --quiesce: the guest agent of '" + guest.name()
                        + "' is not reachable (" + e.getMessage() + "); no snapshot was taken");
                    return ExitCodes.FAILED;
                } catch (Quiesce.QuiesceException e) {
                    disk.err().println("kvmj disk snapshot: --quiesce: " + e.getMessage().replace("NAME", guest.name()));
                    return ExitCodes.FAILED;
                }
            } else {
                storage.externalSnapshot(d.activeNode(), overlay, newNode);
            }
            // migrate, save, list see the new active image
            LiveDisks.record(guest.runtimeDir(), qmp).ifPresent(why -> disk.err().println("kvmj disk snapshot: warning: " + why));
            DriveInfo after = DiskSupport.current(qmp, d.id());
            PrintWriter out = disk.out();
            if (json) {
                ObjectNode o = DiskSupport.result(guest.name(), "snapshot", after).put("overlay", overlay.toString())
                    .put("node", newNode).put("frozenNode", d.activeNode()).put("frozenFile", d.file())
                    .put("quiesced", q != null);
                if (q != null) {
                    o.put("filesystemsFrozen", q.frozen()).put("frozenMillis", q.frozenFor().toMillis());
                }
                out.println(Json.pretty(o));
            } else {
                out.println(d.id() + ": new active layer " + after.file() + " (node " + after.activeNode()
                    + "), backed by " + d.file() + " (node " + d.activeNode() + ", now read-only)"
                    + (q != null ? "; quiesced: " + q.frozen() + " filesystem(s) frozen for " + q.frozenFor().toMillis()
                    + " ms" : ""));
            }
            return ExitCodes.OK;
        });
    }
}
