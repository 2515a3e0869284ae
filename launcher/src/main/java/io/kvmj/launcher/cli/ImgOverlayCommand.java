package io.kvmj.launcher.cli;

import io.kvmj.core.image.ByteSize;
import io.kvmj.core.image.ImageInfo;
import io.kvmj.core.image.Overlays;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code kvmj img overlay BASE OVERLAY}: a qcow2 copy-on-write overlay on a shared base image. */
@Command(name = "overlay", mixinStandardHelpOptions = true,
    description = "Create a qcow2 copy-on-write overlay on BASE (backing file and format recorded). Refused if a"
        + " running guest has BASE open read-write.")
public final class ImgOverlayCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @ParentCommand
    ImgCommand parent;

    @Parameters(index = "0", paramLabel = "BASE", description = "Base image (any format; stays unchanged).",
        converter = ExistingPath.class)
    Path base;

    @Parameters(index = "1", paramLabel = "OVERLAY", description = "New qcow2 overlay (must not exist).")
    Path overlay;

    @Option(names = "--absolute", description = "Store the base as an absolute path (default: relative to the overlay).")
    boolean absolute;

    @Option(names = "--size", converter = ImgSupport.SizeConverter.class,
        description = "Virtual size of the overlay (default: the base's; may only be larger).")
    ByteSize size;

    @Option(names = "--json", description = "Print qemu-img's view of the overlay as JSON.")
    boolean json;

    @Override
    public Integer call() {
        return ImgSupport.run(spec, () -> {
            ImageInfo info = new Overlays(parent.qemuImg()).create(base, overlay, new Overlays.Options(!absolute, size));
            if (json) {
                ImgSupport.printJson(spec, info);
            } else {
                spec.commandLine().getOut().println("created overlay " + overlay + " -> " + info.backingFilename()
                    + " (" + info.backingFormat() + "), " + info.virtualByteSize());
            }
            return 0;
        });
    }
}
