package io.kvmj.core.qemu.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Tiny blocking QMP client for integration tests only (the real client lives in qmp-client). */
public final class TestQmp implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final SocketChannel channel;
    private final BufferedReader in;
    private final OutputStream out;

    TestQmp(SocketChannel channel) throws IOException {
        this.channel = channel;
        this.in = new BufferedReader(new InputStreamReader(Channels.newInputStream(channel), StandardCharsets.UTF_8));
        this.out = Channels.newOutputStream(channel);
        JsonNode greeting = read();
        if (!greeting.has("QMP")) {
            throw new IOException("no QMP greeting: " + greeting);
        }
        execute("qmp_capabilities", null);
    }

    static TestQmp connect(java.nio.file.Path socket) throws IOException {
        SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(socket));
        return new TestQmp(ch);
    }

    private JsonNode read() throws IOException {
        while (true) {
            String line = in.readLine();
            if (line == null) {
                throw new IOException("QMP connection closed");
            }
            if (line.isBlank()) {
                continue;
            }
            JsonNode n = JSON.readTree(line);
            if (!n.has("event")) {
                return n;
            }
        }
    }

    /** Runs a command and returns its {@code return} value; throws on a QMP error. */
    public synchronized JsonNode execute(String command, Map<String, Object> args) throws IOException {
        Map<String, Object> msg = args == null ? Map.of("execute", command) : Map.of("execute", command, "arguments", args);
        out.write(JSON.writeValueAsBytes(msg));
        out.write('\n');
        out.flush();
        JsonNode reply = read();
        if (reply.has("error")) {
            throw new IOException(command + " failed: " + reply.get("error"));
        }
        return reply.get("return");
    }

    public JsonNode execute(String command) throws IOException { return execute(command, null); }

    @Override
    public void close() throws IOException { channel.close(); }
}
