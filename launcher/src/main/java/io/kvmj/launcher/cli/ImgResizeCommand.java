package io.kvmj.launcher.cli;

import io.kvmj.core.image.ByteSize;
import io.kvmj.core.image.ImageInfo;
import io.kvmj.core.image.QemuImg;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code kvmj img resize FILE [+|-]SIZE}: grow an image; shrinking needs {@code --shrink}. */
@Command(name = "resize", mixinStandardHelpOptions = true,
    description = "Resize an image to SIZE, grow it by +SIZE or shrink it by -SIZE (as qemu-img resize). Shrinking "
        + "needs --shrink (data beyond the new end is lost).",
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:resized", "1:qemu-img failed or the image is in use", "2:bad usage (a shrink without --shrink)"})
public final class ImgResizeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @ParentCommand
    ImgCommand parent;

    @Parameters(index = "0", paramLabel = "FILE", converter = ExistingPath.class)
    Path file;

    @Parameters(index = "1", paramLabel = "[+|-]SIZE", converter = SizeChange.Converter.class,
        description = "New size (20G), increment (+5G) or decrement (-100M).")
    SizeChange size;

    @Option(names = "--shrink", description = "Allow making the image smaller.")
    boolean shrink;

    @Option(names = "--json", description = "Print qemu-img's view of the resized image as JSON.")
    boolean json;

    @Override
    public Integer call() {
        return ImgSupport.run(spec, () -> {
            QemuImg img = parent.qemuImg();
            ImageInfo before = img.info(file);
            ByteSize target = ByteSize.ofBytes(size.apply(before.virtualSize()));
            if (target.bytes() < before.virtualSize() && !shrink) {
                throw new IllegalArgumentException("refusing to shrink " + file + " from " + before.virtualByteSize()
                    + " to " + target.toHuman() + ": data beyond the new end would be lost (add --shrink)");
            }
            img.resize(file, target, shrink);
            ImageInfo after = img.info(file);
            if (json) {
                ImgSupport.printJson(spec, after);
            } else {
                spec.commandLine().getOut().println(file + ": " + before.virtualByteSize() + " -> " + after.virtualByteSize());
            }
            return 0;
        });
    }
}
