package io.kvmj.launcher.cli;

import io.kvmj.core.image.ByteSize;
import io.kvmj.core.image.QemuImg;
import io.kvmj.launcher.storage.DriveInfo;
import io.kvmj.launcher.storage.LiveStorage;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code kvmj disk resize NAME DRIVE [+]SIZE}: live {@code block_resize}; shrinking needs {@code --shrink}. */
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
        return disk.withDrive((qmp, guest, d) -> {
            long before = d.virtualSize();
            long target = size.apply(before);
            if (target < before && !shrink) {
                throw new IllegalArgumentException("refusing to shrink drive '" + d.id() + "' from "
                    + ByteSize.ofBytes(before).toHuman() + " to " + ByteSize.ofBytes(target).toHuman()
                    + ": data beyond the new end would be lost (shrink the guest's filesystem first, then pass --shrink)");
            }
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
