package io.kvmj.qmp;

import io.kvmj.testsupport.HostTools;
import io.kvmj.testsupport.QemuTestProcess;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Test helper: a {@code qemu-system-x86_64 -machine none} with the given {@code -qmp} endpoint (the QMP client under
 * test connects or listens itself), always killed on close. The process is kvmj's shared {@link QemuTestProcess}.
 */
final class QemuProcess implements AutoCloseable {
    final Process process;
    final List<String> argv;
    private final QemuTestProcess qemu;

    private QemuProcess(QemuTestProcess qemu) {
        this.qemu = qemu;
        this.process = qemu.process();
        this.argv = qemu.argv();
    }

    static void assumeQemu() {
        HostTools.require(HostTools.QEMU);
    }

    /** Starts QEMU with the given -qmp chardev spec. */
    static QemuProcess start(String qmpSpec, Path workDir, String... extraArgs) throws IOException {
        List<String> argv = new ArrayList<>(List.of(HostTools.QEMU, "-machine", "none", "-nodefaults", "-display",
                "none", "-qmp", qmpSpec));
        argv.addAll(List.of(extraArgs));
        return new QemuProcess(QemuTestProcess.start(argv, workDir.resolve("qemu-stderr.txt")));
    }

    String diagnostics() {
        return qemu.describe();
    }

    boolean waitForExit(long seconds) throws InterruptedException {
        return qemu.awaitExit(Duration.ofSeconds(seconds));
    }

    @Override
    public void close() {
        qemu.close();
    }
}
