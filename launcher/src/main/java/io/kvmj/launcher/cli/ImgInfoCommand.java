package io.kvmj.launcher.cli;

import io.kvmj.core.image.ByteSize;
import io.kvmj.core.image.ImageHeader;
import io.kvmj.core.image.ImageHeaderReader;
import io.kvmj.core.image.ImageInfo;
import io.kvmj.core.image.Qcow2Details;
import io.kvmj.core.image.block.BlockDevices;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kvmj.launcher.storage.HostDiskFacts;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code kvmj img info FILE}: qemu-img's view, the whole backing chain, or the pure-Java header. */
@Command(name = "info", mixinStandardHelpOptions = true,
    description = "Show an image: format, virtual and allocated size, backing file, qcow2 details.")
public final class ImgInfoCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @ParentCommand
    ImgCommand parent;

    @Parameters(paramLabel = "FILE", description = "Image file or block device.", converter = ExistingPath.class)
    Path file;

    @Option(names = "--backing-chain", description = "Also show every backing file down to the base.")
    boolean chain;

    @Option(names = "--header", description = "Read the header in Java (no qemu-img; raw, qcow and qcow2 only).")
    boolean header;

    @Option(names = {"-U", "--force-share"}, description = "Read even if a running guest holds the image.")
    boolean forceShare;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    @Override
    public Integer call() {
        return ImgSupport.run(spec, () -> {
            PrintWriter out = spec.commandLine().getOut();
            if (header) {
                ImageHeader h = BlockDevices.isBlockDevice(file)
                    ? new ImageHeaderReader(p -> new BlockDevices().inspect(p).sizeBytes()).read(file)
                    : new ImageHeaderReader().read(file);
                if (json) {
                    ImgSupport.printJson(spec, h);
                } else {
                    printHeader(out, h);
                }
                return 0;
            }
            List<ImageInfo> infos = chain ? parent.qemuImg().backingChain(file, forceShare)
                : List.of(parent.qemuImg().info(file, forceShare));
            HostDiskFacts disk = BlockDevices.isBlockDevice(file) ? HostDiskFacts.of(file) : null;
            if (json) {
                if (disk != null && !chain) {
                    ObjectNode node = ImgSupport.JSON.valueToTree(infos.get(0));
                    node.set("hostDisk", ImgSupport.JSON.valueToTree(disk));
                    ImgSupport.printJson(spec, node);
                    return 0;
                }
                ImgSupport.printJson(spec, chain ? infos : infos.get(0));
                return 0;
            }
            for (int i = 0; i < infos.size(); i++) {
                if (i > 0) {
                    out.println();
                }
                print(out, infos.get(i));
            }
            if (disk != null) {
                printHostDisk(out, disk);
            }
            return 0;
        });
    }

    private void printHeader(PrintWriter out, ImageHeader h) {
        out.println("image:          " + file);
        out.println("format:         " + h.format() + (h.version() > 0 ? " (version " + h.version() + ")" : ""));
        out.println("virtual size:   " + ByteSize.ofBytes(h.virtualSize()) + " (" + h.virtualSize() + " bytes)");
        if (h.clusterBits() > 0) {
            out.println("cluster size:   " + h.clusterSize());
            out.println("refcount bits:  " + h.refcountBits());
            out.println("encryption:     " + h.encryption());
            out.println("compression:    " + h.compressionType());
            out.println("lazy refcounts: " + h.lazyRefcounts());
            out.println("dirty:          " + h.dirty());
            out.println("corrupt:        " + h.corrupt());
            out.println("snapshots:      " + h.snapshotCount());
        }
        if (h.version() >= 3) {
            out.println("incompatible:   " + bits(h.incompatibleFeatures(),
                "dirty", "corrupt", "external data file", "compression type", "extended L2"));
            out.println("compatible:     " + bits(h.compatibleFeatures(), "lazy refcounts"));
            out.println("autoclear:      " + bits(h.autoclearFeatures(), "bitmaps", "raw external data"));
        }
        if (h.backingFile() != null) {
            out.println("backing file:   " + h.backingFile() + (h.backingFormat() == null ? " (format not recorded!)"
                : " (format " + h.backingFormat() + ")"));
        }
    }

    private static void printHostDisk(PrintWriter out, HostDiskFacts d) {
        out.println("host device:    " + d.device() + " (" + d.kind() + ")");
        out.println("device size:    " + ByteSize.ofBytes(d.sizeBytes()) + " (" + d.sizeBytes() + " bytes, BLKGETSIZE64)");
        out.println("rotational:     " + (d.rotational() ? "yes" : "no"));
        out.println("block size:     logical " + d.logicalBlockSize() + ", physical " + d.physicalBlockSize());
        out.println("serial:         " + (d.serial() == null ? "(none)" : d.serial()));
        out.println("wwn:            " + (d.wwn() == null ? "(none)" : d.wwn()));
        out.println("in use:         " + (d.inUse() ? "yes: " + String.join("; ", d.users()) : "no"));
    }

    /** {@code 0x9 (dirty, compression type)}: the bits and the names of those that have one. */
    static String bits(long value, String... names) {
        StringBuilder sb = new StringBuilder("0x").append(Long.toHexString(value));
        List<String> set = new java.util.ArrayList<>();
        for (int bit = 0; bit < 64; bit++) {
            if ((value & (1L << bit)) != 0) {
                set.add(bit < names.length ? names[bit] : "bit " + bit);
            }
        }
        if (!set.isEmpty()) {
            sb.append(" (").append(String.join(", ", set)).append(')');
        }
        return sb.toString();
    }

    private static void print(PrintWriter out, ImageInfo i) {
        out.println("image:          " + i.filename());
        out.println("format:         " + i.format());
        out.println("virtual size:   " + i.virtualByteSize() + " (" + i.virtualSize() + " bytes)");
        if (i.actualSize() != null) {
            out.println("disk size:      " + ByteSize.ofBytes(i.actualSize()));
        }
        if (i.clusterSize() != null) {
            out.println("cluster size:   " + i.clusterSize());
        }
        if (i.hasBacking()) {
            out.println("backing file:   " + i.backingFilename()
                + (i.backingFormat() == null ? "" : " (format " + i.backingFormat() + ")"));
        }
        if (Boolean.TRUE.equals(i.encrypted())) {
            out.println("encrypted:      yes");
        }
        if (Boolean.TRUE.equals(i.dirty())) {
            out.println("dirty:          yes (run: kvmj img check --repair all)");
        }
        i.qcow2().ifPresent((Qcow2Details q) -> {
            out.println("compat:         " + q.compat());
            if (q.lazyRefcounts() != null) {
                out.println("lazy refcounts: " + q.lazyRefcounts());
            }
            if (Boolean.TRUE.equals(q.corrupt())) {
                out.println("corrupt:        yes");
            }
        });
        if (!i.snapshots().isEmpty()) {
            out.println("snapshots:      " + i.snapshots().size());
            i.snapshots().forEach(s -> out.println("  " + s.id() + "  " + s.name() + "  " + s.date()));
        }
    }
}
