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

/** {@code kvmj img resize FILE [+]SIZE}: grow an image; shrinking needs {@code --shrink}. */
@Command(name = "resize", mixinStandardHelpOptions = true,
    description = "Resize an image to SIZE, or grow it by +SIZE. Shrinking needs --shrink (data beyond the end is lost).")
public final class ImgResizeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @ParentCommand
    ImgCommand parent;

    @Parameters(index = "0", paramLabel = "FILE")
    Path file;

    @Parameters(index = "1", paramLabel = "[+]SIZE", description = "New size (e.g. 20G) or increment (+5G).")
    String size;

    @Option(names = "--shrink", description = "Allow making the image smaller.")
    boolean shrink;

    @Option(names = "--json", description = "Print qemu-img's view of the resized image as JSON.")
    boolean json;

    @Override
    public Integer call() {
        return ImgSupport.run(spec, () -> {
            QemuImg img = parent.qemuImg();
            ImageInfo before = img.info(file);
            ByteSize target = size.startsWith("+")
                ? ByteSize.ofBytes(Math.addExact(before.virtualSize(), ByteSize.parse(size.substring(1)).bytes()))
                : ByteSize.parse(size);
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
