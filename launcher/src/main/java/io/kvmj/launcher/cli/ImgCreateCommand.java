package io.kvmj.launcher.cli;

import io.kvmj.core.image.ByteSize;
import io.kvmj.core.image.CreateOptions;
import io.kvmj.core.image.ImageFormat;
import io.kvmj.core.image.ImageInfo;
import io.kvmj.core.image.Preallocation;
import io.kvmj.core.image.QemuImg;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code kvmj img create FILE SIZE}: a new image (qcow2 by default). */
@Command(name = "create", mixinStandardHelpOptions = true,
    description = "Create an image (qcow2 by default; raw, vmdk, vdi, vhdx, ... with -f) with optional preallocation; "
        + "shows progress for full preallocation. The file appears only when complete.",
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:created", "1:qemu-img failed", "2:bad usage (FILE exists, bad size)",
        "130/143:interrupted (Ctrl-C/SIGTERM); nothing left behind"})
public final class ImgCreateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @ParentCommand
    ImgCommand parent;

    @Parameters(index = "0", paramLabel = "FILE", description = "Image to create (must not exist).")
    Path file;

    @Parameters(index = "1", paramLabel = "SIZE", converter = ImgSupport.SizeConverter.class,
        description = "Virtual size: bytes or with suffix K, M, G, T (e.g. 10G).")
    ByteSize size;

    @Option(names = {"-f", "--format"}, defaultValue = "qcow2", converter = ImgSupport.FormatConverter.class,
        description = "Image format: qcow2, raw, vmdk, vdi, vhdx, ... (default: ${DEFAULT-VALUE}).")
    ImageFormat format;

    @Option(names = "--preallocation", converter = ImgSupport.PreallocationConverter.class,
        paramLabel = "off|metadata|falloc|full", description = "Preallocation mode.")
    Preallocation preallocation;

    @Option(names = "--cluster-size", converter = ImgSupport.SizeConverter.class, description = "qcow2 cluster size (e.g. 64K).")
    ByteSize clusterSize;

    @Option(names = "--lazy-refcounts", description = "qcow2 lazy refcounts (faster writes; needs check -r after a crash).")
    boolean lazyRefcounts;

    @Option(names = "--compat", paramLabel = "0.10|1.1", description = "qcow2 version: 0.10 (v2) or 1.1 (v3, default).")
    String compat;

    @Option(names = "--json", description = "Print qemu-img's view of the new image as JSON.")
    boolean json;

    @Override
    public Integer call() {
        return ImgSupport.run(spec, () -> {
            CreateOptions.Builder b = CreateOptions.builder(format).size(size).preallocation(preallocation)
                .clusterSize(clusterSize).compat(compat);
            if (lazyRefcounts) {
                b.lazyRefcounts(true);
            }
            CreateOptions opts = b.build();
            QemuImg img = parent.qemuImg();
            try (AtomicOutput out = AtomicOutput.begin(spec, file)) {
                if (preallocation == Preallocation.FULL) {
                    ProgressPrinter p = ProgressPrinter.forConsole(spec.commandLine().getErr(), "preallocating");
                    img.create(out.temp(), opts, p);
                    p.finish();
                } else {
                    img.create(out.temp(), opts);
                }
                out.publish();
            }
            ImageInfo info = img.info(file);
            if (json) {
                ImgSupport.printJson(spec, info);
            } else {
                spec.commandLine().getOut().println("created " + file + ": " + info.format() + ", "
                    + info.virtualByteSize() + (preallocation == null ? "" : ", preallocation=" + preallocation.qemuName()));
            }
            return 0;
        });
    }
}
