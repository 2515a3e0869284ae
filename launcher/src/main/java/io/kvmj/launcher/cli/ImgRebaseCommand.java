package io.kvmj.launcher.cli;

import io.kvmj.core.image.ImageFormat;
import io.kvmj.core.image.ImageInfo;
import io.kvmj.core.image.QemuImg;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code kvmj img rebase FILE (-b BACKING | --no-backing)}: point an overlay at another backing file
 * ({@code qemu-img rebase}).
 *
 * <pre>{@code
 * kvmj img rebase vm.qcow2 -b base-v2.qcow2          # copies what differs between old and new base into vm.qcow2
 * kvmj img rebase vm.qcow2 -b /new/place/base.qcow2 --unsafe   # the same base, moved: only the header changes
 * kvmj img rebase vm.qcow2 --no-backing              # copies the base's data in; vm.qcow2 stands alone
 * }</pre>
 */
@Command(name = "rebase", mixinStandardHelpOptions = true,
    description = {"Change the backing file of FILE (qemu-img rebase). By default the data that differs between the "
        + "old and the new backing file is copied into FILE, so the guest sees the same disk; --unsafe only rewrites "
        + "the name (for a base that moved or was copied). Refused while a guest has FILE open.",
        "BACKING is stored as given; a relative name is relative to FILE's directory (as QEMU resolves it)."},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:rebased", "1:qemu-img failed or the image is in use", "2:bad usage"})
public final class ImgRebaseCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @ParentCommand
    ImgCommand parent;

    @Parameters(index = "0", paramLabel = "FILE", description = "The overlay to change.", converter = ExistingPath.class)
    Path file;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Target target;

    /** Exactly one of a new backing file or none. */
    static final class Target {
        @Option(names = {"-b", "--backing"}, paramLabel = "BACKING", description = "The new backing file.")
        String backing;

        @Option(names = "--no-backing", description = "Remove the backing file (its data is copied into FILE first).")
        boolean none;
    }

    @Option(names = {"-F", "--backing-format"}, converter = ImgSupport.FormatConverter.class, paramLabel = "FMT",
        description = "Format of BACKING (default: probed from the file).")
    ImageFormat backingFormat;

    @Option(names = {"-u", "--unsafe"}, description = "Only rewrite the backing name; no data is compared or copied.")
    boolean unsafe;

    @Option(names = "--json", description = "Print qemu-img's view of FILE afterwards as JSON.")
    boolean json;

    @Override
    public Integer call() {
        return ImgSupport.run(spec, () -> {
            QemuImg img = parent.qemuImg();
            if (!Files.isRegularFile(file)) {
                throw new IllegalArgumentException("no such image: " + file);
            }
            ImageFormat fmt = null;
            if (target.backing != null) {
                if (target.backing.isEmpty()) {
                    throw new IllegalArgumentException("-b needs a file name (use --no-backing to remove the backing file)");
                }
                Path resolved = file.toAbsolutePath().getParent().resolve(target.backing);
                if (!unsafe && !Files.exists(resolved)) {
                    throw new IllegalArgumentException("no such backing file: " + target.backing + " (looked for "
                        + resolved + ")");
                }
                fmt = backingFormat != null ? backingFormat : Files.exists(resolved)
                    ? ImageFormat.of(img.info(resolved, true).format()) : null;
                if (fmt == null) {
                    throw new IllegalArgumentException("-F FMT is needed: " + resolved + " does not exist to probe");
                }
            } else if (backingFormat != null) {
                throw new IllegalArgumentException("-F is for -b BACKING, not --no-backing");
            }
            ProgressPrinter p = ProgressPrinter.forConsole(spec.commandLine().getErr(), "rebasing");
            img.rebase(file, target.backing, fmt, unsafe, unsafe ? null : p);
            p.finish();
            ImageInfo after = img.info(file);
            if (json) {
                ImgSupport.printJson(spec, after);
            } else {
                spec.commandLine().getOut().println(file + ": " + (after.hasBacking()
                    ? "backing file " + after.backingFilename() + " (" + after.backingFormat() + ")"
                    : "no backing file") + (unsafe ? " (header only)" : ""));
            }
            return 0;
        });
    }
}
