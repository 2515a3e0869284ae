package io.kvmj.core.qemu.it;

import io.kvmj.core.qemu.QemuCommand;
import io.kvmj.testsupport.HostTools;
import io.kvmj.testsupport.QemuTestProcess;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Starts real QEMU from a rendered {@link QemuCommand} (the spec should ask for -S and a QMP endpoint) and
 * connects the test QMP client. Always destroys QEMU on close.
 */
public final class QemuUnderTest implements AutoCloseable {
    private final QemuTestProcess qemu;
    private final Process process;
    private final QemuCommand command;
    private TestQmp qmp;

    private QemuUnderTest(QemuTestProcess qemu, QemuCommand command) {
        this.qemu = qemu;
        this.process = qemu.process();
        this.command = command;
    }

    /** Aborts (or fails when CI=true) if qemu-system-x86_64 is not installed. */
    public static void requireQemu() {
        HostTools.require(HostTools.QEMU);
    }

    /** Starts QEMU with a unix QMP server socket (spec must contain QmpEndpoint.unixServer(socket)). */
    public static QemuUnderTest startWithServerSocket(QemuCommand cmd, Path socket, Path workDir) throws Exception {
        QemuUnderTest q = launch(cmd, workDir);
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (true) {
                if (!q.process.isAlive()) {
                    throw new IllegalStateException(q.describeDeath());
                }
                if (Files.exists(socket)) {
                    try {
                        q.qmp = TestQmp.connect(socket);
                        return q;
                    } catch (IOException e) {
                        // not listening yet
                    }
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("QMP socket never appeared; " + q.describeDeath());
                }
                Thread.sleep(20);
            }
        } catch (Exception | Error e) {
            q.close();
            throw e;
        }
    }

    /** Listens on {@code socket} first, then starts QEMU, which connects (QmpEndpoint.unixClient(socket)). */
    public static QemuUnderTest startWithClientSocket(QemuCommand cmd, Path socket, Path workDir) throws Exception {
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(socket));
            QemuUnderTest q = launch(cmd, workDir);
            try {
                server.configureBlocking(false);
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                SocketChannel ch;
                while ((ch = server.accept()) == null) {
                    if (!q.process.isAlive()) {
                        throw new IllegalStateException(q.describeDeath());
                    }
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("QEMU never connected; " + q.describeDeath());
                    }
                    Thread.sleep(20);
                }
                ch.configureBlocking(true);
                q.qmp = new TestQmp(ch);
                return q;
            } catch (Exception | Error e) {
                q.close();
                throw e;
            }
        }
    }

    private static QemuUnderTest launch(QemuCommand cmd, Path workDir) throws IOException {
        return new QemuUnderTest(QemuTestProcess.start(cmd.argv(), Files.createTempFile(workDir, "qemu", ".log")), cmd);
    }

    public TestQmp qmp() { return qmp; }

    public Process process() { return process; }

    public String describeDeath() {
        return qemu.describe() + "\nargv: " + command.shellQuoted();
    }

    @Override
    public void close() {
        try {
            if (qmp != null) {
                try {
                    qmp.execute("quit");
                } catch (IOException ignored) {
                    // QEMU may close the socket before replying
                }
                qmp.close();
            }
        } catch (IOException ignored) {
            // best effort
        } finally {
            try {
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    qemu.close();
                }
            } catch (InterruptedException e) {
                qemu.close();
                Thread.currentThread().interrupt();
            }
        }
    }
}
