package io.kvmj.core.image;

import io.kvmj.core.qemu.QemuOpts;
import io.kvmj.testsupport.HostTools;
import io.kvmj.testsupport.QemuTestProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A real QEMU ({@code -machine none}) holding an image through {@code -blockdev}, the way a running guest
 * does. Ready once its QMP greeting arrives (all -blockdev nodes are open by then). Killed on close.
 */
public final class QemuHolder implements AutoCloseable {
    private final QemuTestProcess qemu;

    private QemuHolder(QemuTestProcess qemu) {
        this.qemu = qemu;
    }

    static QemuHolder hold(Path image, String format, boolean readOnly, Path workDir) throws Exception {
        String node = "driver=" + format + ",node-name=d0,read-only=" + (readOnly ? "on" : "off")
            + ",file.driver=file,file.filename=" + QemuOpts.escape("filename", image.toAbsolutePath().toString());
        return start(node, workDir);
    }

    /** Starts QEMU with one {@code -blockdev} argument; fails with QEMU's output if it does not come up. */
    public static QemuHolder start(String blockdev, Path workDir) throws Exception {
        return start(List.of(blockdev), workDir);
    }

    /** Starts QEMU with these {@code -blockdev} arguments, in order (e.g. a protocol node, then its format node). */
    public static QemuHolder start(List<String> blockdevs, Path workDir) throws Exception {
        Path sock = workDir.resolve("qmp-" + System.nanoTime() + ".sock");
        List<String> argv = new ArrayList<>(List.of(HostTools.QEMU, "-machine", "none", "-nodefaults",
            "-display", "none", "-qmp", "unix:" + sock + ",server=on,wait=off"));
        for (String b : blockdevs) {
            argv.add("-blockdev");
            argv.add(b);
        }
        QemuTestProcess q = QemuTestProcess.start(argv, workDir.resolve("qemu-" + System.nanoTime() + ".log"));
        try {
            q.awaitQmpGreeting(sock, Duration.ofSeconds(30));
            return new QemuHolder(q);
        } catch (Exception | Error e) {
            q.close();
            throw e;
        }
    }

    /** True while QEMU runs. */
    public boolean alive() {
        return qemu.isAlive();
    }

    @Override
    public void close() {
        qemu.close();
    }
}
