package io.kvmj.launcher.cli;

import io.kvmj.core.image.ByteSize;
import io.kvmj.core.image.ConvertOptions;
import io.kvmj.core.image.ImageFormat;
import io.kvmj.core.image.ImageInfo;
import io.kvmj.core.image.Preallocation;
import io.kvmj.core.image.QemuImg;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code kvmj img convert SRC DST -O FMT}: copy/convert with a progress bar. */
@Command(name = "convert", mixinStandardHelpOptions = true,
    description = "Convert an image to another format (optionally compressed or fully allocated), with progress.")
public final class ImgConvertCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @ParentCommand
    ImgCommand parent;

    @Parameters(index = "0", paramLabel = "SOURCE", converter = ExistingPath.class)
    Path source;

    @Parameters(index = "1", paramLabel = "TARGET", description = "Output image (must not exist).")
    Path target;

    @Option(names = {"-O", "--target-format"}, required = true, converter = ImgSupport.FormatConverter.class,
        description = "Output format (raw, qcow2, vmdk, vdi, vhdx, vpc, ...).")
    ImageFormat targetFormat;

    @Option(names = {"-f", "--source-format"}, converter = ImgSupport.FormatConverter.class,
        description = "Source format (default: probe).")
    ImageFormat sourceFormat;

    @Option(names = {"-c", "--compress"}, description = "Compress the output (qcow2).")
    boolean compress;

    @Option(names = {"-S", "--sparse-size"}, converter = ImgSupport.SizeConverter.class,
        description = "Zero runs at least this long become holes; 0 allocates everything (default 4K).")
    ByteSize sparse;

    @Option(names = "--preallocation", converter = ImgSupport.PreallocationConverter.class,
        paramLabel = "off|metadata|falloc|full",
        description = "Allocate the target's space up front: metadata (qcow2 tables), falloc (reserve), full (write "
            + "zeros).")
    Preallocation preallocation;

    @Option(names = "--json", description = "Print qemu-img's view of the new image as JSON.")
    boolean json;

    @Override
    public Integer call() {
        return ImgSupport.run(spec, () -> {
            if (Files.exists(target) && Files.exists(source) && Files.isSameFile(source, target)) {
                throw new IllegalArgumentException("source and target are the same file: " + target);
            }
            ConvertOptions opts = new ConvertOptions(sourceFormat, targetFormat, compress, sparse, preallocation, null);
            QemuImg img = parent.qemuImg();
            try (AtomicOutput out = AtomicOutput.begin(spec, target)) {
                ProgressPrinter p = ProgressPrinter.forConsole(spec.commandLine().getErr(), "converting");
                img.convert(source, out.temp(), opts, p);
                p.finish();
                out.publish();
            }
            ImageInfo info = img.info(target);
            if (json) {
                ImgSupport.printJson(spec, info);
            } else {
                spec.commandLine().getOut().println("converted " + source + " -> " + target + " (" + info.format()
                    + ", " + info.virtualByteSize() + " virtual, "
                    + (info.actualSize() == null ? "?" : ByteSize.ofBytes(info.actualSize())) + " on disk)");
            }
            return 0;
        });
    }
}
