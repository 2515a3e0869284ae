package io.kvmj.launcher.cli;

import io.kvmj.core.image.ByteSize;
import io.kvmj.core.image.ImageFormat;
import io.kvmj.core.image.QemuImg;
import io.kvmj.launcher.storage.DriveInfo;
import io.kvmj.launcher.storage.Drives;
import io.kvmj.launcher.storage.LiveStorage;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code kvmj disk backup NAME DRIVE TARGET [--format qcow2|raw]}: a point-in-time full copy of a running drive
 * ({@code blockdev-backup sync=full}) into a new image, with progress.
 */
@Command(name = "backup", mixinStandardHelpOptions = true,
    description = {"Back up a running guest's drive into a new image: a full copy of what the guest sees at the "
        + "moment the backup starts (the whole backing chain, flattened), with progress. The guest keeps running.",
        "A failed backup removes the partial TARGET."})
public final class DiskBackupCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @ParentCommand
    DiskCommand parent;

    @Parameters(index = "0", paramLabel = "NAME", description = "Guest name.")
    String name;

    @Parameters(index = "1", paramLabel = "DRIVE", description = "Device id (e.g. disk0) or node name.")
    String drive;

    @Parameters(index = "2", paramLabel = "TARGET", description = "The backup image to create (must not exist).")
    Path target;

    @Option(names = {"-O", "--format"}, defaultValue = "qcow2", paramLabel = "qcow2|raw",
        converter = FormatConverter.class, description = "Format of the backup (default ${DEFAULT-VALUE}).")
    ImageFormat format;

    @Option(names = "--qemu-img", paramLabel = "PATH",
        description = "qemu-img binary used to create TARGET (default: -Dkvmj.qemu-img, $KVMJ_QEMU_IMG, else PATH).")
    String qemuImgBinary;

    @Option(names = "--job-timeout", defaultValue = "3600", paramLabel = "SECONDS",
        description = "Bound on the backup job (default ${DEFAULT-VALUE}).")
    long jobTimeout;

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
        return DiskSupport.withGuest(spec, name, Duration.ofSeconds(parent.timeout), (qmp, guest) -> {
            ImageFormat fmt = format;
            Path t = target.toAbsolutePath().normalize();
            if (Files.exists(t)) {
                throw new IllegalArgumentException(t + " already exists; refusing to overwrite it");
            }
            DriveInfo d = DiskSupport.requireInserted(Drives.resolve(Drives.query(qmp), drive));
            QemuImg img = qemuImgBinary == null ? new QemuImg() : new QemuImg(qemuImgBinary);
            JobProgressPrinter progress = JobProgressPrinter.forConsole(spec.commandLine().getErr(),
                "backup " + d.id());
            try {
                new LiveStorage(qmp, img).jobTimeout(Duration.ofSeconds(jobTimeout))
                    .backup(d.activeNode(), d.virtualSize(), t, fmt, progress);
            } catch (RuntimeException e) {
                progress.failed();
                deletePartial(t);
                throw e;
            }
            progress.done();
            DriveInfo after = Drives.resolve(Drives.query(qmp), d.id());
            PrintWriter out = spec.commandLine().getOut();
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
            spec.commandLine().getErr().println("kvmj disk backup: could not remove the partial " + t + ": " + e);
        }
    }
}
