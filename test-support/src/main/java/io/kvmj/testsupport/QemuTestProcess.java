package io.kvmj.testsupport;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real QEMU process for a test: started from an exact argv with its output in a log file, waited for until its
 * QMP server socket greets, described with argv and output when it dies, and always killed on close. Each module
 * talks QMP to it with its own client; this class only owns the process.
 *
 * <pre>{@code
 * Path sock = dir.resolve("qmp.sock");
 * try (QemuTestProcess q = QemuTestProcess.start(List.of("qemu-system-x86_64", "-machine", "none", "-nodefaults",
 *         "-display", "none", "-qmp", "unix:" + sock + ",server=on,wait=off"), dir.resolve("qemu.log"))) {
 *     q.awaitQmpGreeting(sock, Duration.ofSeconds(30));
 *     ... connect a client to sock ...
 * }
 * }</pre>
 */
public final class QemuTestProcess implements AutoCloseable {
    private final Process process;
    private final List<String> argv;
    private final Path log;

    private QemuTestProcess(Process process, List<String> argv, Path log) {
        this.process = process;
        this.argv = List.copyOf(argv);
        this.log = log;
    }

    /**
     * Starts {@code argv} (binary first; the binary must be on PATH, else the test is skipped or, under CI, failed)
     * with stdin closed and stdout+stderr appended to {@code log}.
     */
    public static QemuTestProcess start(List<String> argv, Path log) throws IOException {
        HostTools.require(argv.get(0));
        Process p = new ProcessBuilder(argv).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        return new QemuTestProcess(p, argv, log);
    }

    /**
     * Waits until the QMP server at {@code socket} accepts a connection and sends its greeting (every
     * {@code -blockdev} is open by then), then closes that probe connection.
     *
     * @throws IllegalStateException with {@link #describe()} when QEMU exits or the time runs out
     */
    public void awaitQmpGreeting(Path socket, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (!process.isAlive()) {
                throw new IllegalStateException("QEMU exited before its QMP socket answered; " + describe());
            }
            if (Files.exists(socket)) {
                try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                    ch.connect(UnixDomainSocketAddress.of(socket));
                    ByteBuffer buf = ByteBuffer.allocate(4096);
                    StringBuilder sb = new StringBuilder();
                    while (sb.indexOf("\n") < 0 && ch.read(buf) > 0) {
                        buf.flip();
                        sb.append(StandardCharsets.UTF_8.decode(buf));
                        buf.clear();
                    }
                    if (sb.indexOf("\"QMP\"") >= 0) {
                        return;
                    }
                    throw new IllegalStateException("no QMP greeting on " + socket + ": " + sb + "; " + describe());
                } catch (IOException notYet) {
                    // bound but not listening yet, or a server that accepts one client at a time
                }
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("QMP socket " + socket + " did not answer in " + timeout + "; "
                        + describe());
            }
            Thread.sleep(20);
        }
    }

    /** The QEMU process. */
    public Process process() {
        return process;
    }

    /** The argv it was started with. */
    public List<String> argv() {
        return argv;
    }

    /** Whether QEMU still runs. */
    public boolean isAlive() {
        return process.isAlive();
    }

    /** Waits up to {@code timeout} for QEMU to exit. */
    public boolean awaitExit(Duration timeout) throws InterruptedException {
        return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** State, exit code, argv and everything QEMU printed: for assertion messages. */
    public String describe() {
        String out;
        try {
            out = Files.readString(log);
        } catch (IOException e) {
            out = "(log unreadable: " + e + ")";
        }
        return "QEMU " + (process.isAlive() ? "running" : "exited " + process.exitValue()) + "; argv: " + argv
                + "; output: " + out;
    }

    /** Kills QEMU (SIGKILL if it does not end on SIGTERM within 5 s) and waits for it. */
    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
