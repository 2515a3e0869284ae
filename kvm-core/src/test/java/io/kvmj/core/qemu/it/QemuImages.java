package io.kvmj.core.qemu.it;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Creates small images with qemu-img for integration tests. */
final class QemuImages {
    private QemuImages() {}

    static Path create(Path file, String format, String size) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("qemu-img", "create", "-q", "-f", format, file.toString(), size)
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("qemu-img create failed: " + out);
        }
        return file;
    }
}
