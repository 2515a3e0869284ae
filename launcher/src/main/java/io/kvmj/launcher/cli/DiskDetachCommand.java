package io.kvmj.launcher.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kvmj.launcher.storage.DiskHotplug;
import io.kvmj.launcher.storage.DriveInfo;
import io.kvmj.launcher.storage.Drives;
import io.kvmj.launcher.storage.ImageLayer;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code kvmj disk detach NAME DRIVE}: hot-unplugs a drive ({@link DiskHotplug#detach}); waits up to
 * {@code --timeout} seconds for the guest to release it. With {@code --connect URI}: {@code virDomainDetachDeviceFlags}
 * LIVE of target dev DRIVE ({@link LibvirtDiskHotplugCli}), the same wait.
 * <pre>{@code kvmj disk detach vm1 disk1 --json}</pre>
 */
@Command(name = "detach", mixinStandardHelpOptions = true,
    description = {"Hot-unplug a running guest's drive (device_del, then its block nodes); the guest OS must "
        + "release a PCI disk (waits --timeout seconds), a SCSI disk goes at once. The image file is kept."})
public final class DiskDetachCommand implements Callable<Integer> {
    @Mixin
    DiskGuest guest;

    @Parameters(index = "1", paramLabel = "DRIVE", description = "Drive name as 'kvmj disk list' shows it (e.g. disk1).")
    String drive;

    @Option(names = "--json", description = "Print the detached drive as JSON.")
    boolean json;

    @Override
    public Integer call() {
        String connect = ConnectOption.uri(guest.spec);
        if (connect != null) {
            return LibvirtDiskHotplugCli.detach(this, connect);
        }
        return guest.withGuest((qmp, info) -> {
            DriveInfo d = Drives.resolve(Drives.query(qmp), drive);
            new DiskHotplug(qmp, info.runtimeDir()).detach(drive, Duration.ofSeconds(guest.parent.timeout));
            if (json) {
                ObjectNode o = Json.object().put("guest", info.name()).put("operation", "detach").put("drive", d.id())
                    .put("file", d.file());
                ArrayNode nodes = o.putArray("nodes");
                for (ImageLayer l : d.chain()) {
                    nodes.add(l.node());
                }
                guest.out().println(Json.pretty(o));
            } else {
                guest.out().println("detached " + d.id() + (d.file() == null ? "" : " (" + d.file() + " kept)"));
            }
            return ExitCodes.OK;
        });
    }
}
