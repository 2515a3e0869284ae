package io.kvmj.core.image.block;

import io.kvmj.core.image.ImageTestSupport;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/** A loop device attached with {@code losetup -f --show FILE}, detached on close. */
final class LoopDevice implements AutoCloseable {
    final Path device;

    private LoopDevice(Path device) {
        this.device = device;
    }

    /** Attaches {@code file}; aborts the test if losetup cannot (no root, no loop driver). */
    static LoopDevice attach(Path file) {
        Assumptions.assumeTrue(ImageTestSupport.hasTool("losetup"), "losetup not installed");
        ImageTestSupport.Result r = ImageTestSupport.execRaw("losetup", "-f", "--show", file.toString());
        Assumptions.assumeTrue(r.code() == 0, "losetup cannot attach here: " + r.output());
        return new LoopDevice(Path.of(r.output().strip()));
    }

    @Override
    public void close() {
        ImageTestSupport.exec("losetup", "-d", device.toString());
    }
}
