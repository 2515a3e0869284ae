package io.kvmj.launcher.cli;

import io.kvmj.core.image.ImageInfo;
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

/**
 * {@code kvmj img commit OVERLAY}: write an overlay's changes into its backing file ({@code qemu-img commit}).
 *
 * <pre>{@code
 * kvmj img commit vm.qcow2            # base.qcow2 now holds vm.qcow2's changes; vm.qcow2 is emptied
 * kvmj img commit vm.qcow2 --keep     # ... and vm.qcow2 keeps them too
 * }</pre>
 */
@Command(name = "commit", mixinStandardHelpOptions = true,
    description = {"Write the changes held in OVERLAY into its backing file (qemu-img commit); OVERLAY is emptied "
        + "unless --keep. Every other overlay on the same backing file sees a changed base afterwards. Refused while "
        + "a guest has either image open (use 'kvmj disk commit' for a running guest)."},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:committed", "1:qemu-img failed or an image is in use", "2:bad usage (no backing file)"})
public final class ImgCommitCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @ParentCommand
    ImgCommand parent;

    @Parameters(index = "0", paramLabel = "OVERLAY", description = "The overlay whose changes to commit.")
    Path overlay;

    @Option(names = {"-d", "--keep"}, description = "Leave OVERLAY's contents as they are (qemu-img commit -d).")
    boolean keep;

    @Option(names = "--json", description = "Print qemu-img's view of the backing file afterwards as JSON.")
    boolean json;

    @Override
    public Integer call() {
        return ImgSupport.run(spec, () -> {
            QemuImg img = parent.qemuImg();
            if (!Files.isRegularFile(overlay)) {
                throw new IllegalArgumentException("no such image: " + overlay);
            }
            ImageInfo info = img.info(overlay);
            Path base = info.resolvedBacking(overlay).orElseThrow(() -> new IllegalArgumentException(overlay
                + " has no backing file to commit into"));
            ProgressPrinter p = ProgressPrinter.forConsole(spec.commandLine().getErr(), "committing");
            img.commit(overlay, keep, p);
            p.finish();
            ImageInfo after = img.info(base);
            if (json) {
                ImgSupport.printJson(spec, after);
            } else {
                spec.commandLine().getOut().println("committed " + overlay + " into " + base
                    + (keep ? " (overlay kept)" : " (overlay emptied)"));
            }
            return 0;
        });
    }
}
