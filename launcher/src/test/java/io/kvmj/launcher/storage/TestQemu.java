package io.kvmj.launcher.storage;

import io.kvmj.core.qemu.QemuOpts;
import io.kvmj.qmp.QmpClient;
import io.kvmj.qmp.QmpClientOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * A real QEMU ({@code -machine q35 -accel tcg -S}, not booted) with one qcow2 disk as node {@code disk0} on
 * a virtio-blk device, and a QMP client connected to it. Killed on close.
 */
final class TestQemu implements AutoCloseable {
    final Process process;
    final QmpClient qmp;
    final Path log;

    private TestQemu(Process process, QmpClient qmp, Path log) {
        this.process = process;
        this.qmp = qmp;
        this.log = log;
    }

    static void requireQemu() {
        boolean ok = Files.isExecutable(Path.of("/usr/bin/qemu-system-x86_64"))
            && Files.isExecutable(Path.of("/usr/bin/qemu-img"));
        if (!ok && "true".equals(System.getenv("CI"))) {
            Assertions.fail("qemu-system-x86_64 / qemu-img missing but CI=true");
        }
        Assumptions.assumeTrue(ok, "QEMU not installed");
    }

    static TestQemu start(Path disk, Path dir) throws IOException {
        Path sock = dir.resolve("qmp.sock");
        Path log = dir.resolve("qemu.log");
        List<String> argv = new ArrayList<>(List.of("qemu-system-x86_64", "-machine", "q35", "-accel", "tcg", "-S",
            "-nodefaults", "-display", "none", "-qmp", "unix:" + sock + ",server=on,wait=off",
            "-blockdev", "driver=file,node-name=file0,filename=" + QemuOpts.escape("filename", disk.toAbsolutePath().toString()),
            "-blockdev", "driver=qcow2,node-name=disk0,file=file0",
            "-device", "virtio-blk-pci,drive=disk0,id=vd0"));
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            QmpClient qmp = QmpClient.open(sock, QmpClientOptions.defaults());
            return new TestQemu(p, qmp, log);
        } catch (RuntimeException e) {
            p.destroyForcibly();
            throw new IllegalStateException("QEMU did not come up: " + argv + "\n" + Files.readString(log), e);
        }
    }

    @Override
    public void close() {
        try {
            qmp.close();
        } finally {
            process.destroy();
            try {
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }
}
