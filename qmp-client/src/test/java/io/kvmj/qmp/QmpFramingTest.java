package io.kvmj.qmp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Deterministic framing tests on Netty's {@link EmbeddedChannel}: the exact chunks fed to the pipeline are under
 * test control, so "split at every byte boundary" really is every boundary.
 */
class QmpFramingTest {
    private final IoResources io = IoResources.create("framing-test", 0);
    private final List<QmpEvent> events = Collections.synchronizedList(new ArrayList<>()); // added from the dispatch thread

    @AfterEach
    void release() {
        io.release();
        io.awaitTermination(5000);
    }

    private QmpClientOptions options() {
        return QmpClientOptions.builder().completionExecutor(Runnable::run).eventListener(events::add)
                .name("framing").build();
    }

    private record Session(QmpClient client, EmbeddedChannel ch) {
    }

    private Session open(QmpClientOptions o) {
        QmpClient c = new QmpClient(o, io.retain());
        EmbeddedChannel ch = new EmbeddedChannel(QmpInboundHandler.initializer(c, o.maxLineLength()));
        return new Session(c, ch);
    }

    private static void feed(EmbeddedChannel ch, String s) {
        ch.writeInbound(Unpooled.copiedBuffer(s, StandardCharsets.UTF_8));
    }

    private static JsonNode nextRequest(EmbeddedChannel ch) throws Exception {
        ByteBuf b = ch.readOutbound();
        assertNotNull(b, "client wrote no request");
        try {
            String s = b.toString(StandardCharsets.UTF_8);
            assertTrue(s.endsWith("\n"), "request must end with a newline: " + s);
            return QmpJson.mapper().readTree(s);
        } finally {
            b.release();
        }
    }

    private Session negotiated() throws Exception {
        Session s = open(options());
        feed(s.ch, FakeQmpServer.greeting(true));
        JsonNode caps = nextRequest(s.ch);
        feed(s.ch, "{\"return\": {}, \"id\": " + caps.get("id") + "}\n");
        assertTrue(s.client.readyFuture().isDone());
        return s;
    }

    @Test
    void greetingSplitAtEveryByteBoundary() throws Exception {
        String greeting = FakeQmpServer.greeting(true);
        for (int k = 1; k < greeting.length(); k++) {
            Session s = open(options());
            feed(s.ch, greeting.substring(0, k));
            assertTrue(s.ch.outboundMessages().isEmpty(), "nothing may be sent before the greeting is complete");
            feed(s.ch, greeting.substring(k));
            JsonNode caps = nextRequest(s.ch);
            assertEquals("qmp_capabilities", caps.path("execute").asText());
            assertEquals("oob", caps.path("arguments").path("enable").path(0).asText());
            String reply = "{\"return\": {}, \"id\": " + caps.get("id") + "}\r\n";
            feed(s.ch, reply.substring(0, k % reply.length()));
            feed(s.ch, reply.substring(k % reply.length()));
            QmpClient c = s.client.readyFuture().get();
            assertEquals(new QemuVersion(7, 2, 1), c.greeting().version());
            assertTrue(c.greeting().oobEnabled());
            s.ch.close();
        }
    }

    @Test
    void replySplitAtEveryByteBoundaryWithEventsInBetween() throws Exception {
        Session s = negotiated();
        String template = "{\"return\": {\"status\": \"running\", \"running\": true, \"u\": \"\u00e9\u20ac\"}, "
                + "\"id\": %s}\r\n";
        for (int k = 1; k < template.length() + 8; k++) {
            CompletableFuture<JsonNode> f = s.client.execute("query-status");
            String reply = String.format(template, nextRequest(s.ch).get("id"));
            byte[] bytes = reply.getBytes(StandardCharsets.UTF_8);
            int cut = Math.min(k, bytes.length - 1);
            s.ch.writeInbound(Unpooled.wrappedBuffer(bytes, 0, cut));
            assertFalse(f.isDone(), "completed on a partial line at " + cut);
            s.ch.writeInbound(Unpooled.wrappedBuffer(bytes, cut, bytes.length - cut));
            assertEquals("\u00e9\u20ac", f.get().path("u").asText(), "multi-byte UTF-8 split at " + cut);
            feed(s.ch, "{\"event\": \"TICK\", \"data\": {\"k\": " + k + "}}\n");
        }
        // listeners run on the dispatch thread: wait (bounded) until it has delivered them, then read under the lock
        awaitEvents(template.length() + 7);
        synchronized (events) {
            assertEquals(template.length() + 7, events.stream().filter(e -> e.name().equals("TICK")).count());
        }
    }

    @Test
    void repliesOfOneReadAreCompletedInOneHandOff() throws Exception {
        List<Runnable> tasks = Collections.synchronizedList(new ArrayList<>());
        Session s = open(QmpClientOptions.builder().completionExecutor(tasks::add).name("batch").build());
        feed(s.ch, FakeQmpServer.greeting(false));
        feed(s.ch, "{\"return\": {}, \"id\": " + nextRequest(s.ch).get("id") + "}\n");
        tasks.forEach(Runnable::run); // the negotiation's own reply
        tasks.clear();
        List<CompletableFuture<JsonNode>> fs = new ArrayList<>();
        StringBuilder burst = new StringBuilder();
        for (int i = 0; i < 5; i++) {
            fs.add(s.client.execute("query-status"));
            String id = nextRequest(s.ch).get("id").toString();
            burst.append(i == 3 ? "{\"error\": {\"class\": \"GenericError\", \"desc\": \"no\"}, \"id\": " + id + "}\n"
                    : "{\"return\": {\"n\": " + i + "}, \"id\": " + id + "}\n");
        }
        feed(s.ch, burst.toString());
        assertEquals(1, tasks.size(), "five replies in one read, one hand-off to the completion executor");
        assertTrue(fs.stream().noneMatch(CompletableFuture::isDone), "completed on the executor, not the I/O thread");
        tasks.get(0).run();
        assertEquals(2, fs.get(2).get().path("n").asInt());
        ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                () -> fs.get(3).get());
        assertInstanceOf(QmpErrorException.class, e.getCause());
        assertEquals(4, fs.get(4).get().path("n").asInt());

        CompletableFuture<JsonNode> a = s.client.execute("query-status");
        String ida = nextRequest(s.ch).get("id").toString();
        CompletableFuture<JsonNode> b = s.client.execute("query-status");
        String idb = nextRequest(s.ch).get("id").toString();
        feed(s.ch, "{\"return\": {}, \"id\": " + ida + "}\n");
        feed(s.ch, "{\"return\": {}, \"id\": " + idb + "}\n");
        assertEquals(3, tasks.size(), "two reads, two hand-offs");
        tasks.subList(1, 3).forEach(Runnable::run);
        assertTrue(a.isDone() && b.isDone());
        s.ch.close();
    }

    @Test
    void eventsBeforeGreetingAreDeliveredAndDoNotBreakTheHandshake() throws Exception {
        Session s = open(options());
        feed(s.ch, "{\"event\": \"EARLY\", \"data\": {\"n\": 1}}\r\n{\"event\": \"EARLY\", \"data\": {\"n\": 2}}\r\n");
        feed(s.ch, FakeQmpServer.greeting(false));
        JsonNode caps = nextRequest(s.ch);
        assertFalse(caps.has("arguments"), "no oob offered, nothing to enable: " + caps);
        feed(s.ch, "{\"event\": \"DURING\"}\n{\"return\": {}, \"id\": " + caps.get("id") + "}\n");
        QmpClient c = s.client.readyFuture().get();
        assertFalse(c.greeting().oobEnabled());
        awaitEvents(3);
        synchronized (events) {
            assertEquals(List.of("EARLY", "EARLY", "DURING"), events.stream().map(QmpEvent::name).toList());
        }
    }

    private void awaitEvents(int n) throws InterruptedException {
        // listeners run on the dispatch thread; wait (bounded) for it to drain
        for (int i = 0; i < 500; i++) {
            synchronized (events) {
                if (events.size() >= n) {
                    return;
                }
            }
            Thread.sleep(10);
        }
    }

    @Test
    void sixteenMebibyteReply() throws Exception {
        Session s = negotiated();
        CompletableFuture<JsonNode> f = s.client.execute("big");
        JsonNode id = nextRequest(s.ch).get("id");
        int size = 16 * 1024 * 1024;
        byte[] prefix = "{\"return\": {\"blob\": \"".getBytes(StandardCharsets.US_ASCII);
        byte[] suffix = ("\"}, \"id\": " + id + "}\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] all = new byte[prefix.length + size + suffix.length];
        System.arraycopy(prefix, 0, all, 0, prefix.length);
        java.util.Arrays.fill(all, prefix.length, prefix.length + size, (byte) 'x');
        System.arraycopy(suffix, 0, all, prefix.length + size, suffix.length);
        for (int off = 0; off < all.length; off += 65536) { // delivered in socket-sized chunks
            s.ch.writeInbound(Unpooled.wrappedBuffer(all, off, Math.min(65536, all.length - off)));
        }
        assertEquals(size, f.get().path("blob").asText().length());
    }

    @Test
    void tooLongLineIsDiscardedAndTheSessionContinues() throws Exception {
        QmpClientOptions o = options().toBuilder().maxLineLength(4096).build();
        Session s = open(o);
        feed(s.ch, FakeQmpServer.greeting(false));
        JsonNode caps = nextRequest(s.ch);
        feed(s.ch, "{\"return\": {}, \"id\": " + caps.get("id") + "}\n");
        CompletableFuture<JsonNode> big = s.client.execute("big");
        JsonNode bigId = nextRequest(s.ch).get("id");
        CompletableFuture<JsonNode> small = s.client.execute("small");
        JsonNode smallId = nextRequest(s.ch).get("id");
        feed(s.ch, "{\"return\": \"" + "y".repeat(10_000) + "\", \"id\": " + bigId + "}\n");
        feed(s.ch, "{\"return\": 42, \"id\": " + smallId + "}\n");
        assertEquals(42, small.get().asInt());
        assertFalse(big.isDone(), "the discarded reply can only end by timeout");
        assertEquals(1, s.client.malformedMessages());
        assertTrue(s.ch.isActive());
    }

    @Test
    void malformedJsonAndUnknownIdsAreDroppedAndCounted() throws Exception {
        Session s = negotiated();
        CompletableFuture<JsonNode> f = s.client.execute("query-status");
        JsonNode id = nextRequest(s.ch).get("id");
        feed(s.ch, "{this is not json\r\n");
        feed(s.ch, "[1,2,3]\n");
        feed(s.ch, "{\"return\": {}, \"id\": \"nobody-sent-this\"}\n");
        feed(s.ch, "{\"return\": {}}\n");
        feed(s.ch, "\r\n");
        assertFalse(f.isDone());
        feed(s.ch, "{\"return\": {\"ok\": true}, \"id\": " + id + "}\n");
        assertTrue(f.get().path("ok").asBoolean());
        assertEquals(2, s.client.malformedMessages());
        assertEquals(2, s.client.unknownReplies());
    }

    @Test
    void errorReplyCarriesClassDescriptionCommandAndArguments() throws Exception {
        Session s = negotiated();
        CompletableFuture<JsonNode> f = s.client.execute("device_del", QmpJson.object().put("id", "nic9"));
        JsonNode id = nextRequest(s.ch).get("id");
        feed(s.ch, "{\"error\": {\"class\": \"DeviceNotFound\", \"desc\": \"Device 'nic9' not found\"}, \"id\": "
                + id + "}\n");
        ExecutionException ex = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class, f::get);
        QmpErrorException e = assertInstanceOf(QmpErrorException.class, ex.getCause());
        assertEquals("DeviceNotFound", e.errorClass());
        assertEquals("Device 'nic9' not found", e.description());
        assertEquals("device_del", e.command());
        assertEquals("nic9", e.arguments().path("id").asText());
        assertTrue(e.getMessage().contains("nic9"), e.getMessage());
    }
}
