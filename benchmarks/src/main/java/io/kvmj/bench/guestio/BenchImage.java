package io.kvmj.bench.guestio;

import io.kvmj.core.image.ByteSize;
import io.kvmj.core.image.ImageFormat;
import io.kvmj.launcher.osimage.BuildListener;
import io.kvmj.launcher.osimage.BuildResult;
import io.kvmj.launcher.osimage.DebianImageBuilder;
import io.kvmj.launcher.osimage.DebianRelease;
import io.kvmj.launcher.osimage.ImageBuildSpec;
import io.kvmj.launcher.osimage.RootPassword;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The Debian 12 image of the guest I/O suite: the image builder's defaults plus Debian's {@code fio} (so the guest
 * runs the distribution's own fio build, the same version as the host's on Debian 12) and Debian's generic kernel
 * ({@code linux-image-cloud-amd64} is built without 9p, {@code CONFIG_NET_9P} unset). The package set makes its own
 * cached base under {@code ~/.cache/kvmj/images} (one mmdebstrap run, once: 21 minutes on this loaded 2-core machine); each run then copies
 * it into a fresh qcow2 in seconds.
 *
 * <pre>{@code
 * BenchImage img = BenchImage.build(dir.resolve("root.qcow2"));
 * boolean has9p = img.generic9pKernel();
 * }</pre>
 *
 * @param disk   the built qcow2
 * @param result the builder's answer (base, kernel, root UUID)
 */
record BenchImage(Path disk, BuildResult result) {

    /** Packages on top of the builder's defaults. */
    static final List<String> PACKAGES = List.of("fio", "linux-image-amd64");

    /**
     * True when GRUB boots the generic kernel (the one with 9p). With both kernels installed at the same ABI version
     * Debian's /vmlinuz link names the generic one (seen: {@code vmlinuz-6.1.0-50-amd64}); the suite checks.
     */
    boolean generic9pKernel() {
        return !result.kernel().contains("cloud");
    }

    /** Builds the image at {@code disk} (which must not exist). */
    static BenchImage build(Path disk) throws IOException, InterruptedException {
        BuildResult r = DebianImageBuilder.create().build(ImageBuildSpec.builder(DebianRelease.DEBIAN_12, disk)
                .format(ImageFormat.QCOW2).size(ByteSize.ofGiB(4)).install(PACKAGES).hostname("guestio")
                .rootPassword(RootPassword.of("bench")).build(), BuildListener.NONE);
        return new BenchImage(disk, r);
    }
}
