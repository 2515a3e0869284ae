package io.kvmj.bench.qmp;

import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The baseline: the smallest blocking QMP client ({@code java.nio} over a Unix socket: write a line, read
 * lines until a reply). No JSON parsing, no ids, no threads: the floor a real client is compared with.
 */
public final class MinimalQmpClient implements AutoCloseable {

    private final SocketChannel ch;
    private final ByteBuffer in = ByteBuffer.allocate(1 << 20);
    private String greeting;

    private MinimalQmpClient(SocketChannel ch) {
        this.ch = ch;
        in.flip();
    }

    /** Connects, reads the greeting and negotiates capabilities. */
    public static MinimalQmpClient connect(Path socket) throws IOException {
        SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(socket));
        MinimalQmpClient c = new MinimalQmpClient(ch);
        try {
            c.greeting = c.readLine();
            String r = c.execute("{\"execute\":\"qmp_capabilities\"}");
            if (!r.contains("\"return\"")) {
                throw new IOException("qmp_capabilities failed: " + r);
            }
        } catch (IOException e) {
            ch.close();
            throw e;
        }
        return c;
    }

    public String greeting() {
        return greeting;
    }

    /** Sends one command line and returns its reply line (events are skipped). */
    public String execute(String command) throws IOException {
        write(command + "\n");
        return readReply();
    }

    /** Sends {@code n} copies of a command back to back, then reads {@code n} replies; returns the last. */
    public String pipelined(String command, int n) throws IOException {
        write((command + "\n").repeat(n));
        String last = null;
        for (int i = 0; i < n; i++) {
            last = readReply();
        }
        return last;
    }

    private void write(String s) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }

    private String readReply() throws IOException {
        while (true) {
            String line = readLine();
            if (line.startsWith("{\"return\"") || line.startsWith("{\"error\"") || line.contains("\"return\":")
                    && !line.contains("\"event\":")) {
                return line;
            }
        }
    }

    private String readLine() throws IOException {
        while (true) {
            for (int i = in.position(); i < in.limit(); i++) {
                if (in.get(i) == '\n') {
                    byte[] line = new byte[i - in.position()];
                    in.get(line);
                    in.get();
                    return new String(line, StandardCharsets.UTF_8);
                }
            }
            in.compact();
            if (!in.hasRemaining()) {
                throw new IOException("QMP line longer than " + in.capacity() + " bytes");
            }
            int n = ch.read(in);
            in.flip();
            if (n < 0) {
                throw new IOException("QMP connection closed");
            }
        }
    }

    @Override
    public void close() throws IOException {
        ch.close();
    }
}
