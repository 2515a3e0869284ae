package io.kvmj.qmp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link QmpJson#readTree} reads lines as Jackson's data binding does, and {@link QmpJson#request} writes as it did. */
class QmpJsonTest {
    private static final ObjectMapper PLAIN = new ObjectMapper();

    @Test
    void readTreeMatchesTheMapperNodeForNode() throws Exception {
        for (String line : List.of(
                FakeQmpServer.greeting(true).strip(),
                "{\"return\": {\"running\": true, \"singlestep\": false, \"status\": \"running\"}, \"id\": \"k1.2\"}",
                "{\"event\": \"SHUTDOWN\", \"data\": {\"guest\": true, \"reason\": \"guest-shutdown\"}, "
                        + "\"timestamp\": {\"seconds\": 1700000000, \"microseconds\": 5}}",
                "{\"i\": 1, \"neg\": -2147483649, \"big\": 123456789012345678901234567890, \"l\": 4294967296,"
                        + " \"d\": 1.5, \"e\": 1e300, \"z\": -0.0, \"tiny\": 4.9e-324}",
                "{\"s\": \"\\u00fc\\n\\t\\\"q\\\" \\ud83d\\ude00\", \"n\": null, \"a\": [], \"o\": {}, "
                        + "\"nested\": [[1, [2, {\"x\": [null, false]}]]]}",
                "{\"dup\": 1, \"other\": 2, \"dup\": 3}",
                "{\"a\": 1} trailing garbage is ignored",
                "[1, 2, 3]", "\"text\"", "42")) {
            byte[] b = line.getBytes(StandardCharsets.UTF_8);
            JsonNode expected = PLAIN.readTree(b);
            assertEquals(expected, QmpJson.readTree(b), line);
            assertEquals(expected, QmpJson.readTree(new ByteArrayInputStream(b)), line);
            assertEquals(expected.toString(), QmpJson.readTree(b).toString(), line);
        }
        assertNull(QmpJson.readTree(new byte[0]));
        for (String bad : List.of("{", "{\"a\": }", "{this is not json", "{\"a\": [1, 2}", "Welcome")) {
            assertThrows(IOException.class, () -> QmpJson.readTree(bad.getBytes(StandardCharsets.UTF_8)), bad);
            assertThrows(IOException.class, () -> PLAIN.readTree(bad), bad);
        }
    }

    @Test
    void requestsWithAndWithoutArgumentsAreTheMappersBytes() throws Exception {
        for (String id : List.of("k1.1", "oneshot-1", "quote\"and\\backslash")) {
            for (boolean oob : new boolean[] {false, true}) {
                for (ObjectNode args : Arrays.asList(null, PLAIN.createObjectNode(),
                        PLAIN.createObjectNode().put("device", "drive0").put("size", 1L << 40))) {
                    ObjectNode req = PLAIN.createObjectNode();
                    req.put(oob ? "exec-oob" : "execute", "query-status");
                    if (args != null && !args.isEmpty()) {
                        req.set("arguments", args);
                    }
                    req.put("id", id);
                    byte[] expected = (PLAIN.writeValueAsString(req) + "\n").getBytes(StandardCharsets.UTF_8);
                    assertArrayEquals(expected, QmpJson.request("query-status", args, id, oob), req.toString());
                }
            }
        }
    }
}
