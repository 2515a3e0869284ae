package io.kvmj.launcher.cli;

import io.kvmj.core.image.ByteSize;
import io.kvmj.core.image.ImageFormat;
import io.kvmj.core.image.QemuImg;
import io.kvmj.launcher.storage.DriveInfo;
import io.kvmj.launcher.storage.LiveStorage;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.TypeConversionException;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code kvmj disk backup NAME DRIVE TARGET [--format qcow2|raw]}: a point-in-time full copy of a running drive
 * ({@code blockdev-backup sync=full}) into a new image, with progress. With {@code --connect URI} (a daemon on this
 * host): {@code virDomainBackupBegin} push mode ({@link LibvirtDiskBackupCli}), DRIVE the target dev.
 * <pre>{@code kvmj disk backup vm1 disk0 /vm/disk0-backup.qcow2 --json}</pre>
 */
@Command(name = "backup", mixinStandardHelpOptions = true,
    description = {"Back up a running guest's drive into a new image: a full copy of what the guest sees at the "
        + "moment the backup starts (the whole backing chain, flattened), with progress. The guest keeps running.",
        "A failed backup removes the partial TARGET."})
public final class DiskBackupCommand implements Callable<Integer> {
    @Mixin
    DiskTarget disk;

    @Parameters(index = "2", paramLabel = "TARGET", description = "The backup image to create (must not exist).")
    Path target;

    @Option(names = {"-O", "--format"}, defaultValue = "qcow2", paramLabel = "qcow2|raw",
        converter = FormatConverter.class, description = "Format of the backup (default ${DEFAULT-VALUE}).")
    ImageFormat format;

    @Option(names = "--qemu-img", paramLabel = "PATH",
        description = "qemu-img binary used to create TARGET (default: -Dkvmj.qemu-img, $KVMJ_QEMU_IMG, else PATH).")
    String qemuImgBinary;

    @Mixin
    DiskJob job;

    @Option(names = "--json", description = "Print the result and the drive as JSON.")
    boolean json;

    /** {@code qcow2} or {@code raw}. */
    static final class FormatConverter implements ITypeConverter<ImageFormat> {
        @Override
        public ImageFormat convert(String value) {
            return switch (value) {
                case "qcow2" -> ImageFormat.QCOW2;
                case "raw" -> ImageFormat.RAW;
                default -> throw new TypeConversionException("must be qcow2 or raw, not '" + value + "'");
            };
        }
    }

    @Override
    public Integer call() {
        String connect = ConnectOption.uri(disk.spec);
        if (connect != null) {
            return LibvirtDiskBackupCli.backup(this, connect);
        }
        return disk.withGuest((qmp, guest) -> {
            ImageFormat fmt = format;
            // checked before DRIVE is looked up: an existing TARGET is a usage error whatever the drive
            Path t = DiskSupport.requireAbsent(target.toAbsolutePath().normalize());
            DriveInfo d = disk.resolve(qmp);
            QemuImg img = qemuImgBinary == null ? new QemuImg() : new QemuImg(qemuImgBinary);
            job.run(new LiveStorage(qmp, img), guest.name(), d.id(),
                (storage, progress) -> storage.backup(d.activeNode(), d.virtualSize(), t, fmt, progress),
                () -> deletePartial(t));
            DriveInfo after = DiskSupport.current(qmp, d.id());
            PrintWriter out = disk.out();
            if (json) {
                out.println(Json.pretty(DiskSupport.result(guest.name(), "backup", after).put("target", t.toString())
                    .put("format", fmt.qemuName()).put("virtualSize", d.virtualSize())));
            } else {
                out.println(d.id() + ": backed up " + d.file() + " (node " + d.activeNode() + ", "
                    + ByteSize.ofBytes(d.virtualSize()).toHuman() + ") to " + t + " (" + fmt.qemuName() + ")");
            }
            return ExitCodes.OK;
        });
    }

    private void deletePartial(Path t) {
        try {
            Files.deleteIfExists(t);
        } catch (IOException e) {
            disk.err().println("kvmj disk backup: could not remove the partial " + t + ": " + e);
        }
    }
}
