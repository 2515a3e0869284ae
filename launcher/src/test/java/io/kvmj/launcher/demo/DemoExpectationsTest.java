package io.kvmj.launcher.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class DemoExpectationsTest {
    @Test
    void randomValuesDifferAndAreValid() {
        DemoExpectations a = DemoExpectations.random();
        DemoExpectations b = DemoExpectations.random();
        assertNotEquals(a.shareContent(), b.shareContent());
        assertNotEquals(a.pattern(), b.pattern());
        assertTrue(a.kernelParameters().contains("kvmj.pattern=" + a.pattern()));
    }

    @Test
    void rejectsValuesTheInitScriptCannotCarry() {
        assertThrows(IllegalArgumentException.class, () -> new DemoExpectations("a b", 4096, "t", "f", "c"));
        assertThrows(IllegalArgumentException.class, () -> new DemoExpectations("a", 4000, "t", "f", "c"));
        assertThrows(IllegalArgumentException.class, () -> new DemoExpectations("a", 4096, "t".repeat(32), "f", "c"));
    }

    /** The host's idea of the pattern must equal what the guest's {@code yes | head -c} produces. */
    @Test
    void patternMatchesWhatYesAndHeadProduce() throws IOException, InterruptedException {
        DemoExpectations e = new DemoExpectations("kvmj-0123abcd", 3 * 4096, "t", "f", "c");
        ProcessRunner.Result r = ProcessRunner.run(
            List.of("sh", "-c", "yes kvmj-0123abcd | head -c 12288 | sha256sum"), null, Duration.ofSeconds(20));
        assertEquals(0, r.exitCode(), r.describe());
        assertEquals(r.stdout().split("\\s+")[0], e.patternSha256());
        assertEquals("kvmj-0123abcd\nkvmj-", new String(e.patternData(), 0, 19, StandardCharsets.US_ASCII));
    }
}
