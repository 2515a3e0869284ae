package io.kvmj.launcher.storage;

import io.kvmj.core.qemu.QemuOpts;
import io.kvmj.qmp.QmpClient;
import io.kvmj.qmp.QmpClientOptions;
import io.kvmj.testsupport.HostTools;
import io.kvmj.testsupport.QemuTestProcess;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A real QEMU ({@code -machine q35 -accel tcg -S}, not booted) with one qcow2 disk as node {@code disk0} on
 * a virtio-blk device, and a QMP client connected to it. Killed on close.
 */
final class TestQemu implements AutoCloseable {
    final Process process;
    final QmpClient qmp;
    private final QemuTestProcess qemu;

    private TestQemu(QemuTestProcess qemu, QmpClient qmp) {
        this.qemu = qemu;
        this.process = qemu.process();
        this.qmp = qmp;
    }

    static void requireQemu() {
        HostTools.require(HostTools.QEMU);
        HostTools.require("qemu-img");
    }

    static TestQemu start(Path disk, Path dir) throws IOException {
        Path sock = dir.resolve("qmp.sock");
        List<String> argv = new ArrayList<>(List.of(HostTools.QEMU, "-machine", "q35", "-accel", "tcg", "-S",
            "-nodefaults", "-display", "none", "-qmp", "unix:" + sock + ",server=on,wait=off",
            "-blockdev", "driver=file,node-name=file0,filename=" + QemuOpts.escape("filename", disk.toAbsolutePath().toString()),
            "-blockdev", "driver=qcow2,node-name=disk0,file=file0",
            "-device", "virtio-blk-pci,drive=disk0,id=vd0"));
        QemuTestProcess q = QemuTestProcess.start(argv, dir.resolve("qemu.log"));
        try {
            QmpClient qmp = QmpClient.open(sock, QmpClientOptions.defaults());
            return new TestQemu(q, qmp);
        } catch (RuntimeException e) {
            q.close();
            throw new IllegalStateException("QEMU did not come up: " + q.describe(), e);
        }
    }

    @Override
    public void close() {
        try {
            qmp.close();
        } finally {
            qemu.close();
        }
    }
}
