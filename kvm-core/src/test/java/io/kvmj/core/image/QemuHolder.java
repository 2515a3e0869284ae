package io.kvmj.core.image;

import io.kvmj.core.qemu.QemuOpts;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real QEMU ({@code -machine none}) holding an image through {@code -blockdev}, the way a running guest
 * does. Ready once its QMP greeting arrives (all -blockdev nodes are open by then). Killed on close.
 */
public final class QemuHolder implements AutoCloseable {
    private final Process process;

    private QemuHolder(Process process) {
        this.process = process;
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
        Path log = workDir.resolve("qemu-" + System.nanoTime() + ".log");
        List<String> argv = new ArrayList<>(List.of("qemu-system-x86_64", "-machine", "none", "-nodefaults",
            "-display", "none", "-qmp", "unix:" + sock + ",server=on,wait=off"));
        for (String b : blockdevs) {
            argv.add("-blockdev");
            argv.add(b);
        }
        Process p = new ProcessBuilder(argv).redirectErrorStream(true)
            .redirectOutput(log.toFile()).start();
        QemuHolder h = new QemuHolder(p);
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!Files.exists(sock)) {
                if (!p.isAlive()) {
                    throw new IllegalStateException("QEMU exited " + p.exitValue() + ": " + argv + "\n"
                        + Files.readString(log));
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("QEMU did not open its QMP socket: " + argv);
                }
                Thread.sleep(20);
            }
            try (SocketChannel ch = connect(sock, p, deadline)) {
                ByteBuffer buf = ByteBuffer.allocate(4096);
                StringBuilder sb = new StringBuilder();
                while (!sb.toString().contains("\n") && ch.read(buf) > 0) {
                    buf.flip();
                    sb.append(StandardCharsets.UTF_8.decode(buf));
                    buf.clear();
                }
                if (!sb.toString().contains("QMP")) {
                    throw new IllegalStateException("no QMP greeting from QEMU: " + sb);
                }
            }
            return h;
        } catch (Exception | Error e) {
            h.close();
            throw e;
        }
    }

    /** True while QEMU runs. */
    public boolean alive() {
        return process.isAlive();
    }

    @Override
    public void close() throws IOException {
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

    /** QEMU creates the socket file before it listens: a refused connect in between is retried until the deadline. */
    private static SocketChannel connect(Path sock, Process p, long deadline) throws Exception {
        while (true) {
            SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
            try {
                ch.connect(UnixDomainSocketAddress.of(sock));
                return ch;
            } catch (java.net.ConnectException e) {
                ch.close();
                if (!p.isAlive() || System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(20);
            }
        }
    }
}
