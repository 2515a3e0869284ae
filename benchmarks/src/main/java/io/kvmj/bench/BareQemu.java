package io.kvmj.bench;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A bare {@code qemu-system-x86_64} started without kvmj, for baselines and as the target of the QMP
 * benchmark. {@link #close()} kills it and waits for it.
 */
public final class BareQemu implements AutoCloseable {

    private final Process process;
    private final List<String> argv;
    private final long readyNanos;

    private BareQemu(Process process, List<String> argv, long readyNanos) {
        this.process = process;
        this.argv = argv;
        this.readyNanos = readyNanos;
    }

    /** {@code -machine none} argv with one QMP server socket per path. */
    public static List<String> machineNoneArgv(List<Path> qmpServerSockets) {
        List<String> a = new ArrayList<>(List.of("qemu-system-x86_64", "-machine", "none", "-nodefaults",
                "-display", "none"));
        for (Path s : qmpServerSockets) {
            a.add("-qmp");
            a.add("unix:" + s + ",server=on,wait=off");
        }
        return a;
    }

    /**
     * Spawns {@code argv} and waits until the QMP server socket {@code qmp} sends its greeting
     * (polling connect every 0.2 ms; the probing connection is closed again, QEMU then accepts the next).
     */
    public static BareQemu startServer(List<String> argv, Path qmp, Duration timeout) throws IOException {
        Files.deleteIfExists(qmp);
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(argv).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        long deadline = t0 + timeout.toNanos();
        while (true) {
            if (!p.isAlive()) {
                throw new IOException("QEMU exited with " + p.exitValue() + " before QMP was ready: " + argv);
            }
            try (SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(qmp))) {
                readLine(ch);
                return new BareQemu(p, List.copyOf(argv), System.nanoTime() - t0);
            } catch (IOException notYet) {
                if (System.nanoTime() > deadline) {
                    p.destroyForcibly();
                    throw new IOException("QMP socket " + qmp + " not ready after " + timeout + ": " + argv, notYet);
                }
                LockSupport.parkNanos(200_000);
            }
        }
    }

    /**
     * Listens on {@code qmp}, spawns {@code argv} (which must contain {@code -qmp unix:<qmp>} in client
     * mode) and waits for QEMU to connect and greet: no connect/poll race.
     */
    public static BareQemu startClient(List<String> argv, Path qmp, Duration timeout) throws IOException {
        Files.deleteIfExists(qmp);
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(qmp));
            long t0 = System.nanoTime();
            Process p = new ProcessBuilder(argv).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            server.configureBlocking(false);
            long deadline = t0 + timeout.toNanos();
            while (true) {
                SocketChannel ch = server.accept();
                if (ch != null) {
                    try (ch) {
                        ch.configureBlocking(true);
                        readLine(ch);
                    }
                    return new BareQemu(p, List.copyOf(argv), System.nanoTime() - t0);
                }
                if (!p.isAlive() || System.nanoTime() > deadline) {
                    p.destroyForcibly();
                    throw new IOException("QEMU did not connect to " + qmp + " (alive=" + p.isAlive() + "): " + argv);
                }
                LockSupport.parkNanos(100_000);
            }
        } finally {
            Files.deleteIfExists(qmp);
        }
    }

    /**
     * Listens on {@code qmp} (when not null: {@code argv} has {@code -qmp unix:<qmp>} in client mode), spawns
     * {@code argv}, keeps QEMU's QMP connection open without using it, and waits for QEMU to exit (the guest
     * powered off). Returns ms from spawn to exit; kills QEMU after {@code timeout}.
     */
    public static double runToExit(List<String> argv, Path qmp, Duration timeout) throws IOException, InterruptedException {
        ServerSocketChannel server = null;
        SocketChannel accepted = null;
        Process p = null;
        try {
            if (qmp != null) {
                Files.deleteIfExists(qmp);
                server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
                server.bind(UnixDomainSocketAddress.of(qmp));
                server.configureBlocking(false);
            }
            long t0 = System.nanoTime();
            p = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            long deadline = t0 + timeout.toNanos();
            while (p.isAlive()) {
                if (server != null && accepted == null) {
                    accepted = server.accept();
                }
                if (System.nanoTime() > deadline) {
                    throw new IOException("QEMU did not exit within " + timeout + ": " + argv);
                }
                p.waitFor(accepted == null && server != null ? 1 : 20, TimeUnit.MILLISECONDS);
            }
            double ms = (System.nanoTime() - t0) / 1e6;
            if (p.exitValue() != 0) {
                throw new IOException("QEMU exited with " + p.exitValue() + ": " + argv);
            }
            return ms;
        } finally {
            if (p != null && p.isAlive()) {
                p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
            if (accepted != null) {
                accepted.close();
            }
            if (server != null) {
                server.close();
                Files.deleteIfExists(qmp);
            }
        }
    }

    /** Reads bytes until a newline; returns the line without it. */
    static String readLine(SocketChannel ch) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(1);
        StringBuilder sb = new StringBuilder();
        byte[] line = new byte[8192];
        int n = 0;
        while (true) {
            b.clear();
            if (ch.read(b) < 0) {
                throw new IOException("QMP socket closed before a full line");
            }
            byte c = b.get(0);
            if (c == '\n') {
                sb.append(new String(line, 0, n, StandardCharsets.UTF_8));
                return sb.toString();
            }
            if (n == line.length) {
                sb.append(new String(line, 0, n, StandardCharsets.UTF_8));
                n = 0;
            }
            line[n++] = c;
        }
    }

    /** Nanoseconds from spawn to the QMP greeting. */
    public long readyNanos() {
        return readyNanos;
    }

    public List<String> argv() {
        return argv;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public Process process() {
        return process;
    }

    @Override
    public void close() {
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
