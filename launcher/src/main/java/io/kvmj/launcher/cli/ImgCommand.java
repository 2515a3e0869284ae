package io.kvmj.launcher.cli;

import io.kvmj.core.image.QemuImg;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * {@code kvmj img}: disk images through qemu-img (create, info, check, resize, convert, measure, rebase, commit, snapshot) and
 * copy-on-write overlays, and bootable OS images ({@code img build debian-12}). Exit codes: 0 ok, 1 qemu-img or the check failed, 2 bad usage.
 */
@Command(name = "img", mixinStandardHelpOptions = true,
    description = "Create and inspect disk images (qemu-img wrapper) and copy-on-write overlays.",
    subcommands = {ImgCreateCommand.class, ImgInfoCommand.class, ImgCheckCommand.class, ImgResizeCommand.class,
        ImgConvertCommand.class, ImgMeasureCommand.class, ImgRebaseCommand.class, ImgCommitCommand.class, ImgSnapshotCommand.class, ImgOverlayCommand.class, ImgXenCommand.class, ImgBuildCommand.class},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:success", "1:qemu-img failed, image in use, check found problems, or a build step failed", "2:bad usage"})
public final class ImgCommand implements java.util.concurrent.Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--qemu-img", scope = ScopeType.INHERIT, paramLabel = "PATH",
        description = "qemu-img binary (default: -Dkvmj.qemu-img, $KVMJ_QEMU_IMG, else qemu-img on PATH).")
    String qemuImgBinary;

    QemuImg qemuImg() {
        return qemuImgBinary == null ? new QemuImg() : new QemuImg(qemuImgBinary);
    }

    /** Without a subcommand: the usage on stderr, exit 2 (a usage error). */
    @Override
    public Integer call() {
        spec.commandLine().getErr().println(spec.qualifiedName() + ": missing a subcommand");
        spec.commandLine().usage(spec.commandLine().getErr());
        return ExitCodes.USAGE;
    }
}
