package io.kvmj.bench.guestio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** {@link FioStats} against real fio 3.33 output (Debian 12's fio, captured with stderr merged). */
class FioStatsTest {

    private static String resource(String name) throws IOException {
        try (InputStream in = FioStatsTest.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void readsTheReadSideOfARandreadJobPastFiosWarningLine() throws IOException {
        String out = resource("host-psync-randread.json");
        assertTrue(out.startsWith("note: both iodepth"), "the fixture keeps fio's warning before the JSON");
        FioStats s = FioStats.parse(out);
        assertEquals("host-randread", s.jobName());
        assertEquals("fio-3.33", s.fioVersion());
        assertEquals(3377.245509, s.read().iops(), 1e-6);
        assertEquals(13833197, s.read().bytesPerSec(), 1e-6);
        assertEquals(3384, s.read().ios());
        assertEquals(1002, s.read().runtimeMs());
        assertEquals(293493.272459, s.read().clatMeanNs(), 1e-6);
        assertEquals(0, s.write().ios());
        assertEquals(s.read(), s.side("randread"));
    }

    @Test
    void readsTheWriteSideOfASequentialWriteJob() throws IOException {
        FioStats s = FioStats.parse(resource("host-posixaio-write.json"));
        assertEquals("host-write", s.jobName());
        assertEquals(103.346457, s.write().iops(), 1e-6);
        assertEquals(108.366614, s.write().mbPerSec(), 1e-6);
        assertEquals(105, s.write().ios());
        assertEquals(s.write(), s.side("write"));
        assertEquals(108.366614, new FioJob("1M-write", "write", "1M", "MB/s").value(s), 1e-6);
    }

    @Test
    void readsFioRunInsideTheDebianGuest() throws IOException {
        // captured from guest-exec's stdout in the guestio suite (Debian 12 guest, TCG, cache=none aio=threads)
        FioStats s = FioStats.parse(resource("guest-randread.json"));
        assertEquals("none-threads-4k-randread", s.jobName());
        assertEquals("fio-3.33", s.fioVersion());
        assertEquals(1536.805208, s.read().iops(), 1e-6);
        assertEquals(6294754, s.read().bytesPerSec(), 1e-6);
        assertEquals(3069, s.read().ios());
        assertEquals(1997, s.read().runtimeMs());
        assertEquals(2152886.66015, s.read().clatMeanNs(), 1e-3);
        assertEquals(0, s.write().ios());
    }

    @Test
    void rejectsOutputWithoutJsonOrWithAFailedJob() throws IOException {
        assertThrows(IOException.class, () -> FioStats.parse("fio: pid=0, err=2/file:filesetup.c:1, error=No such file"));
        assertThrows(IOException.class, () -> FioStats.parse("{\"fio version\":\"fio-3.33\",\"jobs\":[]}"));
        String failed = resource("host-posixaio-write.json").replaceFirst("\"error\" : 0", "\"error\" : 5");
        IOException e = assertThrows(IOException.class, () -> FioStats.parse(failed));
        assertTrue(e.getMessage().contains("error 5"), e.getMessage());
        assertThrows(IOException.class, () -> FioStats.parse("{\"jobs\": [ {"));
    }
}
