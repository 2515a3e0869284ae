package io.kvmj.bench.disk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.kvmj.bench.Cmd;
import io.kvmj.core.ffi.Posix;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FioResultTest {

    @TempDir
    Path dir;

    private static void requireFio() {
        boolean fio = FioRunner.available();
        if ("true".equals(System.getenv("CI"))) {
            assertTrue(fio, "fio is not installed (apt-get install fio) but CI=true");
        }
        assumeTrue(fio, "fio not installed");
    }

    @Test
    void parsesARealFioRunOfATinyJob() throws Exception {
        requireFio();
        Path f = dir.resolve("tiny.dat");
        String out = Cmd.run(List.of("fio", "--name=tiny", "--filename=" + f, "--size=1M", "--rw=write", "--bs=4k",
                "--ioengine=psync", "--output-format=json"), 120);
        FioResult r = FioResult.parse(out);
        assertEquals("tiny", r.jobName());
        assertEquals(256, r.ios(), "1 MiB in 4 KiB writes");
        assertTrue(r.iops() > 0, "iops " + r.iops());
        assertTrue(r.bytesPerSec() > 0, "bandwidth " + r.bytesPerSec());
        assertTrue(r.fioVersion().startsWith("fio-"), r.fioVersion());
    }

    @Test
    void runsTheBenchmarkArgvOnAPreallocatedFile() throws Exception {
        requireFio();
        Path f = dir.resolve("pre.raw");
        Cmd.run(List.of("fallocate", "-l", "4M", f.toString()), 30);
        FioResult r = FioRunner.run(FioRunner.argv(f, 4 << 20, CacheMode.WRITEBACK, WritePattern.RAND4K, 0, 1));
        assertTrue(r.ios() > 0 && r.iops() > 0, r.toString());
    }

    @Test
    void skipsTextBeforeTheJsonAndRoundTripsAsAJsonLine() throws Exception {
        String out = "fio: some warning\n{\"fio version\":\"fio-3.33\",\"jobs\":[{\"jobname\":\"j\",\"error\":0,"
                + "\"write\":{\"iops\":1000.5,\"bw_bytes\":4098048,\"runtime\":1000,\"total_ios\":1000}}]}";
        FioResult r = FioResult.parse(out);
        assertEquals(1000.5, r.iops());
        assertEquals(4.098048, r.mbPerSec(), 1e-9);
        assertEquals(r, FioResult.fromJsonLine(FioResult.toJsonLine(r)));
    }

    @Test
    void rejectsOutputWithoutJobsOrWithAFailedJob() {
        assertThrows(IOException.class, () -> FioResult.parse("fio: file not found"));
        assertThrows(IOException.class, () -> FioResult.parse("{\"jobs\":[]}"));
        assertThrows(IOException.class, () -> FioResult.parse("{\"jobs\":[{\"jobname\":\"j\",\"error\":5}]}"));
    }

    @Test
    void cacheModesMapToTheSameFlagsForFio() {
        assertEquals(List.of("--direct=1", "--sync=dsync", "--fdatasync=0"), CacheMode.DIRECTSYNC.fioOptions());
        assertEquals(List.of("--direct=0", "--sync=none", "--fdatasync=" + CacheMode.FLUSH_EVERY),
                CacheMode.WRITEBACK.fioOptions());
        assertEquals(Posix.O_DIRECT, CacheMode.NONE.openFlags() & Posix.O_DIRECT);
        assertEquals(0, CacheMode.UNSAFE.openFlags() & (Posix.O_DIRECT | Posix.O_DSYNC));
    }
}
