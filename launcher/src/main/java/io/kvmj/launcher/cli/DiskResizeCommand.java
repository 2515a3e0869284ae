package io.kvmj.launcher.cli;

import io.kvmj.core.image.ByteSize;
import io.kvmj.core.image.QemuImg;
import io.kvmj.launcher.backend.BackendResize;
import io.kvmj.launcher.storage.DriveInfo;
import io.kvmj.launcher.storage.LiveStorage;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code kvmj disk resize NAME DRIVE [+]SIZE}: live {@code block_resize}; shrinking needs {@code --shrink}. With
 * {@code --connect URI}: {@code virDomainBlockResize} ({@link LibvirtDiskHotplugCli}), DRIVE the target dev.
 * <pre>{@code kvmj disk resize vm1 disk1 +1G --json}</pre>
 */
@Command(name = "resize", mixinStandardHelpOptions = true,
    description = {"Resize a running guest's drive (its active layer) to SIZE, grow it by +SIZE or shrink it by -SIZE; the guest sees "
        + "the new capacity at once (grow its partition/filesystem afterwards).",
        "Shrinking needs --shrink: data beyond the new end is lost, so shrink the guest's filesystem first."})
public final class DiskResizeCommand implements Callable<Integer> {
    @Mixin
    DiskTarget disk;

    @Parameters(index = "2", paramLabel = "[+|-]SIZE", converter = SizeChange.Converter.class,
        description = "New size (20G), increment (+5G) or decrement (-100M).")
    SizeChange size;

    @Option(names = "--shrink", description = "Allow making the drive smaller.")
    boolean shrink;

    @Option(names = "--json", description = "Print the old and new size and the drive as JSON.")
    boolean json;

    @Override
    public Integer call() {
        String connect = ConnectOption.uri(disk.spec);
        if (connect != null) {
            return LibvirtDiskHotplugCli.resize(this, connect);
        }
        return disk.withDrive((qmp, guest, d) -> {
            long before = d.virtualSize();
            long target = size.apply(before);
            BackendResize.refuseShrink(d.id(), before, target, shrink);
            if (target != before) {
                new LiveStorage(qmp, new QemuImg()).resize(d.activeNode(), ByteSize.ofBytes(target));
            }
            DriveInfo after = DiskSupport.current(qmp, d.id());
            PrintWriter out = disk.out();
            if (json) {
                out.println(Json.pretty(DiskSupport.result(guest.name(), "resize", after).put("oldSize", before)
                    .put("newSize", after.virtualSize())));
            } else if (target == before) {
                out.println(d.id() + ": already " + ByteSize.ofBytes(before).toHuman() + ", nothing to do");
            } else {
                out.println(d.id() + " (node " + d.activeNode() + "): " + ByteSize.ofBytes(before).toHuman() + " -> "
                    + ByteSize.ofBytes(after.virtualSize()).toHuman());
            }
            return ExitCodes.OK;
        });
    }
}
