package io.kvmj.launcher.cli;

import io.kvmj.core.image.xen.XenDisk;
import io.kvmj.core.image.xen.XenDiskMapper;
import io.kvmj.core.image.xen.XenDiskParser;
import io.kvmj.core.model.DiskBus;
import io.kvmj.core.model.DiskSource;
import io.kvmj.core.model.DiskSpec;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code kvmj img xen}: what a Xen guest's {@code disk = [...]} becomes under kvmj. */
@Command(name = "xen", mixinStandardHelpOptions = true,
    description = "Translate a Xen domU 'disk = [...]' setting (xl forms and the deprecated phy:, file:, tap:aio:, ...) into kvmj disks.")
public final class ImgXenCommand implements Callable<Integer> {
    private static final Pattern DISK_SETTING = Pattern.compile("(?ms)^\\s*disk\\s*=\\s*\\[.*?\\]");

    @Spec
    CommandSpec spec;

    /** Where the disk setting comes from. */
    static final class Input {
        @Option(names = "--config", paramLabel = "FILE", description = "Xen domain config file (its disk = [...] is used).")
        Path config;

        @Option(names = "--disk", paramLabel = "TEXT", description = "The disk setting itself, e.g. \"disk = ['phy:/dev/vg/a,xvda,w']\".")
        String disk;
    }

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    Input input;

    @Parameters(arity = "0..1", paramLabel = "TEXT", description = "The disk setting (as --disk TEXT), e.g. "
        + "\"disk = ['phy:/dev/vg/a,xvda,w']\".")
    String text;

    @Option(names = "--bus", defaultValue = "virtio", paramLabel = "virtio|scsi|ide|sata",
        description = "Bus for the kvmj disks, as in 'kvmj run --disk bus=' (default: ${DEFAULT-VALUE}; "
            + "virtio-blk and virtio-scsi are accepted too).")
    String bus;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    @Override
    public Integer call() {
        return ImgSupport.run(spec, () -> {
            int given = (text == null ? 0 : 1) + (input == null ? 0 : 1);
            if (given != 1) {
                throw new IllegalArgumentException(given == 0 ? "give the disk setting: TEXT, --disk TEXT or --config FILE"
                    : "give the disk setting once: TEXT, --disk TEXT or --config FILE");
            }
            String text = input == null ? this.text : input.disk;
            if (input != null && input.config != null) {
                if (!Files.isRegularFile(input.config)) {
                    throw new IllegalArgumentException("--config " + input.config + ": no such file");
                }
                Matcher m = DISK_SETTING.matcher(Files.readString(input.config));
                if (!m.find()) {
                    throw new IllegalArgumentException("no 'disk = [...]' setting in " + input.config);
                }
                text = m.group();
            }
            List<XenDisk> xen = XenDiskParser.parseDiskLine(text);
            XenDiskMapper.Mapping mapping = XenDiskMapper.map(xen, busOf(bus));
            if (json) {
                Map<String, Object> doc = new LinkedHashMap<>();
                doc.put("xen", xen);
                doc.put("disks", mapping.disks());
                doc.put("cdroms", mapping.cdroms());
                doc.put("notes", mapping.notes());
                ImgSupport.printJson(spec, doc);
                return 0;
            }
            PrintWriter out = spec.commandLine().getOut();
            for (DiskSpec d : mapping.disks()) {
                String src = d.source() instanceof DiskSource.HostDevice h ? "host_device " + h.device()
                    : d.source() instanceof DiskSource.File f ? "file " + f.path() : d.source().toString();
                out.printf("%-6s %-40s %-6s %-11s cache=%s aio=%s%s%n", d.id(), src, d.format().driver(),
                    d.bus().name().toLowerCase(Locale.ROOT), d.cache().name().toLowerCase(Locale.ROOT),
                    d.aio().name().toLowerCase(Locale.ROOT), d.readOnly() ? " read-only" : "");
            }
            mapping.cdroms().forEach(c -> out.printf("%-6s cdrom %s%n", c.id(), c.iso()));
            mapping.notes().forEach(n -> out.println("note: " + n));
            return 0;
        });
    }

    private static DiskBus busOf(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "virtio-blk", "virtio" -> DiskBus.VIRTIO_BLK;
            case "virtio-scsi", "scsi" -> DiskBus.VIRTIO_SCSI;
            case "ide" -> DiskBus.IDE;
            case "sata" -> DiskBus.SATA;
            default -> throw new IllegalArgumentException("--bus " + name + ": not one of virtio, scsi, ide, sata");
        };
    }
}
