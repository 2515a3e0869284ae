package io.kvmj.launcher.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A stand-in running guest for {@link CdsTraining}, so that the class-data-sharing archive also holds what
 * {@code kvmj list} loads with a guest running (reading {@code guest.json}, the pid checks, the socket claim, the
 * one-shot QMP round trip): a runtime directory with a {@code guest.json}, a {@code qemu.pid} naming a
 * {@code sh -c 'sleep 60'} child whose command line names the directory (as a QEMU's does), and a scripted QMP
 * server on its {@code qmp.sock} answering {@code qmp_capabilities} and {@code query-status} as QEMU 7.2 does.
 * Closing it kills the child and stops the server; the directory is left to the caller.
 *
 * <pre>{@code
 * try (CdsTrainingGuest g = CdsTrainingGuest.start(runtimeDir.resolve("cds-guest"))) {
 *     ... run "list" ...
 * }
 * }</pre>
 */
final class CdsTrainingGuest implements AutoCloseable {
    private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*(\"[^\"]*\")");
    private static final String GREETING = "{\"QMP\": {\"version\": {\"qemu\": {\"micro\": 0, \"minor\": 2, \"major\": 7},"
            + " \"package\": \"cds training\"}, \"capabilities\": [\"oob\"]}}\r\n";

    private final Process child;
    private final ServerSocketChannel server;
    private final Thread serving;

    private CdsTrainingGuest(Process child, ServerSocketChannel server, Thread serving) {
        this.child = child;
        this.server = server;
        this.serving = serving;
    }

    static CdsTrainingGuest start(Path dir) throws IOException {
        Files.createDirectories(dir);
        Process child = new ProcessBuilder("sh", "-c", "sleep 60", dir + "/qemu").start();
        try {
            Files.writeString(dir.resolve("qemu.pid"), child.pid() + "\n");
            Files.writeString(dir.resolve("guest.json"), "{\"name\":\"" + dir.getFileName() + "\",\"launcherPid\":"
                    + ProcessHandle.current().pid() + ",\"created\":\"" + Instant.now() + "\",\"detached\":true,"
                    + "\"accelerator\":\"tcg\",\"acceleratorReason\":\"training\",\"console\":true,\"argv\":["
                    + "\"qemu-system-x86_64\",\"-smp\",\"cpus=2\",\"-m\",\"size=64M\",\"-vnc\",\"127.0.0.1:0\"],"
                    + "\"pid\":" + child.pid() + ",\"sshPort\":2222}");
            ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            server.bind(UnixDomainSocketAddress.of(dir.resolve("qmp.sock")));
            Thread t = new Thread(() -> serve(server), "cds-training-qmp");
            t.setDaemon(true);
            t.start();
            return new CdsTrainingGuest(child, server, t);
        } catch (IOException | RuntimeException e) {
            child.descendants().forEach(ProcessHandle::destroyForcibly);
            child.destroyForcibly();
            throw e;
        }
    }

    private static void serve(ServerSocketChannel server) {
        while (server.isOpen()) {
            try (SocketChannel c = server.accept()) {
                write(c, GREETING);
                String line;
                while ((line = readLine(c)) != null) {
                    Matcher m = ID.matcher(line);
                    String id = m.find() ? ", \"id\": " + m.group(1) : "";
                    write(c, line.contains("query-status")
                            ? "{\"return\": {\"status\": \"running\", \"singlestep\": false, \"running\": true}" + id
                            + "}\r\n" : "{\"return\": {}" + id + "}\r\n");
                }
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private static void write(SocketChannel c, String s) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
        while (b.hasRemaining()) {
            c.write(b);
        }
    }

    private static String readLine(SocketChannel c) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        ByteBuffer one = ByteBuffer.allocate(1);
        while (true) {
            one.clear();
            if (c.read(one) < 0) {
                return null;
            }
            if (one.get(0) == '\n') {
                return line.toString(StandardCharsets.UTF_8);
            }
            line.write(one.get(0));
        }
    }

    @Override
    public void close() {
        child.descendants().forEach(ProcessHandle::destroyForcibly); // the sleep, unless sh exec'd it
        child.destroyForcibly();
        try {
            server.close();
            serving.join(2000);
        } catch (IOException e) {
            // closing anyway
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
