package io.kvmj.launcher.cli;

import io.kvmj.core.image.ByteSize;
import io.kvmj.core.image.ImageFormat;
import io.kvmj.core.image.MeasureResult;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code kvmj img measure [FILE | --size SIZE] -O FMT}: the space an image needs ({@code qemu-img measure}).
 *
 * <pre>{@code
 * kvmj img measure disk.raw -O qcow2        # converting disk.raw to qcow2 needs ...
 * kvmj img measure --size 20G -O qcow2 --json
 * }</pre>
 */
@Command(name = "measure", mixinStandardHelpOptions = true,
    description = "Space needed to convert FILE to format FMT, or for a new image of --size SIZE (qemu-img measure): "
        + "required now, and when fully allocated.",
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:measured", "1:qemu-img failed", "2:bad usage"})
public final class ImgMeasureCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @ParentCommand
    ImgCommand parent;

    @Parameters(index = "0", arity = "0..1", paramLabel = "FILE", description = "Image to measure (or give --size).",
        converter = ExistingPath.class)
    Path file;

    @Option(names = "--size", converter = ImgSupport.SizeConverter.class, paramLabel = "SIZE",
        description = "Measure a new empty image of this virtual size instead of FILE.")
    ByteSize size;

    @Option(names = {"-O", "--target-format"}, required = true, converter = ImgSupport.FormatConverter.class,
        paramLabel = "FMT", description = "The format to measure for (raw, qcow2, ...).")
    ImageFormat format;

    @Option(names = "--json", description = "Print qemu-img's result as JSON (required, fully-allocated, bitmaps).")
    boolean json;

    @Override
    public Integer call() {
        return ImgSupport.run(spec, () -> {
            if ((file == null) == (size == null)) {
                throw new IllegalArgumentException("give FILE or --size SIZE (one of them)");
            }
            MeasureResult r = file != null ? parent.qemuImg().measure(file, format)
                : parent.qemuImg().measure(size, format);
            if (json) {
                ImgSupport.printJson(spec, r);
            } else {
                PrintWriter out = spec.commandLine().getOut();
                out.println((file != null ? file.toString() : "new " + size.toHuman() + " image") + " as "
                    + format.qemuName() + ":");
                out.println("  required:        " + ByteSize.ofBytes(r.required()).toHuman() + " (" + r.required() + " bytes)");
                out.println("  fully allocated: " + ByteSize.ofBytes(r.fullyAllocated()).toHuman() + " ("
                    + r.fullyAllocated() + " bytes)");
                if (r.bitmaps() != null) {
                    out.println("  bitmaps:         " + r.bitmaps() + " bytes");
                }
            }
            return 0;
        });
    }
}
