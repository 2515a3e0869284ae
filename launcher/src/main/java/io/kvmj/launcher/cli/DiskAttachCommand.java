package io.kvmj.launcher.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kvmj.core.model.InvalidSpecException;
import io.kvmj.launcher.storage.AttachedDisk;
import io.kvmj.launcher.storage.DiskHotplug;
import io.kvmj.launcher.storage.DriveInfo;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code kvmj disk attach NAME DISKSPEC}: hot-plugs a disk into a running guest ({@link DiskHotplug}). DISKSPEC is
 * {@code kvmj run --disk}'s syntax, parsed by the same parser; the drive gets the first free {@code diskN}. With
 * {@code --connect URI}: {@code virDomainAttachDeviceFlags} LIVE at the first free {@code vdX}
 * ({@link LibvirtDiskHotplugCli}; the DISKSPEC keys with a libvirt form only).
 * <pre>{@code kvmj disk attach vm1 path=/var/vm/data.raw,format=raw,cache=none --json}</pre>
 */
@Command(name = "attach", mixinStandardHelpOptions = true,
    description = {"Hot-plug a disk into a running guest; DISKSPEC as for 'kvmj run --disk' (bus=virtio or scsi; "
        + "IDE/SATA cannot be hot-plugged). The drive is named with the first free diskN.",
        "virtio-blk needs a free PCI slot: on q35 a spare root port (kvmj run --hotplug-slots N), on pc a slot of "
            + "pci.0; bus=scsi needs the guest's virtio-scsi controller (a guest launched with a bus=scsi disk)."})
public final class DiskAttachCommand implements Callable<Integer> {
    @Mixin
    DiskGuest guest;

    @Parameters(index = "1", paramLabel = "DISKSPEC", description = "As kvmj run --disk, e.g. path=FILE,format=raw,cache=none.")
    String diskSpec;

    @Option(names = "--json", description = "Print the attached drive as JSON.")
    boolean json;

    @Override
    public Integer call() {
        String connect = ConnectOption.uri(guest.spec);
        if (connect != null) {
            return LibvirtDiskHotplugCli.attach(this, connect);
        }
        try {
            GuestOptionParsers.disk(diskSpec, 0); // bad input is refused before connecting
        } catch (IllegalArgumentException | InvalidSpecException e) {
            guest.err().println(guest.spec.qualifiedName() + ": " + e.getMessage());
            guest.err().flush();
            return ExitCodes.USAGE;
        }
        return guest.withGuest((qmp, info) -> {
            DiskHotplug hp = new DiskHotplug(qmp, info.runtimeDir());
            AttachedDisk a;
            try {
                // id chosen and disk recorded under the guest's record lock: concurrent attaches lose nothing
                a = hp.attachNext(id -> GuestOptionParsers.disk(diskSpec, Integer.parseInt(id.substring("disk".length()))));
            } catch (InvalidSpecException e) {
                throw new IllegalArgumentException(e.getMessage(), e);
            }
            DriveInfo after = DiskSupport.current(qmp, a.drive());
            PrintWriter out = guest.out();
            if (json) {
                ObjectNode o = DiskSupport.result(info.name(), "attach", after).put("bus", a.bus());
                ArrayNode nodes = o.putArray("nodes");
                a.nodeNames().forEach(nodes::add);
                ArrayNode w = o.putArray("warnings");
                a.warnings().forEach(w::add);
                out.println(Json.pretty(o));
            } else {
                a.warnings().forEach(w -> guest.err().println("warning: " + w));
                out.println("attached " + a.drive() + " (node " + after.activeNode() + ", "
                    + (a.bus() == null ? "pci.0" : a.bus()) + "): " + after.file());
            }
            return ExitCodes.OK;
        });
    }
}
