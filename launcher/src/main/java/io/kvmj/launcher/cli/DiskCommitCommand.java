package io.kvmj.launcher.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kvmj.core.image.QemuImg;
import io.kvmj.launcher.storage.DriveInfo;
import io.kvmj.launcher.storage.ImageLayer;
import io.kvmj.launcher.storage.LiveDisks;
import io.kvmj.launcher.storage.LiveStorage;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code kvmj disk commit NAME DRIVE [--base NODE|FILE]}: active {@code block-commit} of the drive's active layer into
 * a backing image (by default the one directly below), after which the guest runs on that image again.
 */
@Command(name = "commit", mixinStandardHelpOptions = true,
    description = {"Commit a running guest's active layer (e.g. a 'kvmj disk snapshot' overlay) into its backing "
        + "image, with progress; the guest then runs on that image again and the overlay is no longer used.",
        "By default into the image directly below (never further: a deeper base may be shared by other guests); "
            + "--base picks a deeper one and drops the layers in between from the chain."})
public final class DiskCommitCommand implements Callable<Integer> {
    @Mixin
    DiskTarget disk;

    @Option(names = "--base", paramLabel = "NODE|FILE",
        description = "Commit into this backing image (node name or file) instead of the one directly below.")
    String base;

    @Mixin
    DiskJob job;

    @Option(names = "--json", description = "Print the result and the drive's new chain as JSON.")
    boolean json;

    @Override
    public Integer call() {
        String connect = ConnectOption.uri(disk.spec);
        if (connect != null) {
            return LibvirtDiskCli.commit(this, connect);
        }
        return disk.withDrive((qmp, guest, d) -> {
            List<ImageLayer> chain = d.chain();
            if (chain.size() < 2) {
                throw new DiskFailure("drive '" + d.id() + "' has no backing image (" + d.file()
                    + " stands alone): nothing to commit");
            }
            int baseIndex = base == null ? 1 : baseIndex(d, base);
            ImageLayer into = chain.get(baseIndex);
            if (into.node() == null) {
                throw new DiskFailure("QEMU lists no block node for backing image " + into.file());
            }
            job.run(new LiveStorage(qmp, new QemuImg()), guest.name(), d.id(),
                (storage, progress) -> storage.commit(d.activeNode(), d.activeNode(), into.node(), progress),
                () -> { });
            // migrate, save, list see the new active image
            LiveDisks.record(guest.runtimeDir(), qmp).ifPresent(why -> disk.err().println("kvmj disk commit: warning: " + why));
            DriveInfo after = DiskSupport.current(qmp, d.id());
            List<ImageLayer> dropped = chain.subList(0, baseIndex);
            PrintWriter out = disk.out();
            if (json) {
                ObjectNode o = DiskSupport.result(guest.name(), "commit", after).put("committedInto", into.file())
                    .put("baseNode", into.node());
                ArrayNode unused = o.putArray("unusedFiles");
                dropped.forEach(l -> unused.add(l.file()));
                out.println(Json.pretty(o));
            } else {
                out.println(d.id() + ": committed " + chain.get(0).file() + " into " + into.file()
                    + "; active layer is now " + after.file() + " (node " + after.activeNode() + ")");
                out.println("no longer used by the guest (delete when not needed): "
                    + String.join(", ", dropped.stream().map(ImageLayer::file).toList()));
            }
            return ExitCodes.OK;
        });
    }

    private static int baseIndex(DriveInfo d, String base) {
        List<ImageLayer> chain = d.chain();
        Path asPath = base.contains("/") ? Path.of(base).toAbsolutePath().normalize() : null;
        for (int i = 1; i < chain.size(); i++) {
            ImageLayer l = chain.get(i);
            if (base.equals(l.node()) || base.equals(l.file())
                || (asPath != null && l.file() != null && asPath.toString().equals(l.file()))) {
                return i;
            }
        }
        StringBuilder known = new StringBuilder();
        for (int i = 1; i < chain.size(); i++) {
            known.append(i > 1 ? ", " : "").append(chain.get(i).node()).append(" (").append(chain.get(i).file())
                .append(')');
        }
        throw new IllegalArgumentException("--base " + base + " is not a backing image of drive '" + d.id()
            + "'; backing images: " + known);
    }
}
