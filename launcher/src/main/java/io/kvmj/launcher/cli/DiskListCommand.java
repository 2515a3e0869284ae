package io.kvmj.launcher.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import io.kvmj.core.image.ByteSize;
import io.kvmj.launcher.storage.DriveInfo;
import io.kvmj.launcher.storage.Drives;
import io.kvmj.launcher.storage.ImageLayer;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code kvmj disk list NAME}: the guest's drives, their node names, files, backing chains and cache flags. */
@Command(name = "list", mixinStandardHelpOptions = true,
    description = "List a running guest's drives: device id (DRIVE), node names, files, backing chain, cache mode.")
public final class DiskListCommand implements Callable<Integer> {
    @Mixin
    DiskGuest disk;

    @Option(names = "--json", description = "Print the drives as a JSON array.")
    boolean json;

    @Override
    public Integer call() {
        String connect = ConnectOption.uri(disk.spec);
        if (connect != null) {
            return LibvirtDiskCli.list(this, connect);
        }
        return disk.withGuest((qmp, guest) -> {
            List<DriveInfo> drives = Drives.query(qmp);
            PrintWriter out = disk.out();
            if (json) {
                ArrayNode a = Json.MAPPER.createArrayNode();
                drives.forEach(d -> a.add(DiskSupport.json(d)));
                out.println(Json.pretty(a));
                return ExitCodes.OK;
            }
            if (drives.isEmpty()) {
                out.println("guest " + guest.name() + " has no drives");
            }
            for (DriveInfo d : drives) {
                print(out, d);
            }
            return ExitCodes.OK;
        });
    }

    static void print(PrintWriter out, DriveInfo d) {
        if (!d.inserted()) {
            out.println(d.id() + "  (empty)");
            return;
        }
        String configured = d.configuredCache() == null ? d.cache().mode() : d.configuredCache().mode();
        String guest = d.cache().mode().equals(configured) ? ""
            : " (guest now: " + d.cache().mode() + ")";
        out.println(d.id() + "  " + d.format() + "  " + ByteSize.ofBytes(d.virtualSize()).toHuman() + "  cache="
            + configured + guest + "  " + (d.readOnly() ? "read-only" : "read-write")
            + (d.chain().size() > 1 ? "  chain of " + d.chain().size() : ""));
        int width = d.chain().stream().mapToInt(l -> String.valueOf(l.node()).length()).max().orElse(0);
        for (int i = 0; i < d.chain().size(); i++) {
            ImageLayer l = d.chain().get(i);
            out.printf("  %-7s  %-" + width + "s  %s (%s, %s)%n", i == 0 ? "active" : "backing", l.node(), l.file(),
                l.format(), ByteSize.ofBytes(l.virtualSize()).toHuman());
        }
    }
}
