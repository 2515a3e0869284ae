package io.kvmj.bench.guestio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvmj.core.model.AioMode;
import io.kvmj.core.model.CacheMode;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class IoPathTest {

    @Test
    void everyPathHasAShortUniqueSerial() {
        Set<String> seen = new HashSet<>();
        for (IoPath p : IoPath.all(true)) {
            assertTrue(p.serial().length() <= 20, p.serial());
            assertTrue(seen.add(p.serial()), "duplicate " + p.serial());
        }
        assertEquals(7, IoPath.all(false).size());
        assertEquals(12, IoPath.all(true).size());
    }

    @Test
    void hostFlagsFollowQemusHostPath() {
        assertEquals(List.of("--ioengine=posixaio", "--direct=1", "--fdatasync=0", "--invalidate=0"),
                new IoPath(CacheMode.NONE, AioMode.THREADS).hostFlags());
        assertEquals(List.of("--ioengine=libaio", "--direct=1", "--fdatasync=1", "--invalidate=0"),
                new IoPath(CacheMode.DIRECTSYNC, AioMode.NATIVE).hostFlags());
        assertEquals(List.of("--ioengine=io_uring", "--direct=0", "--fdatasync=1", "--invalidate=0"),
                new IoPath(CacheMode.WRITETHROUGH, AioMode.IO_URING).hostFlags());
        assertEquals(new IoPath(CacheMode.WRITEBACK, AioMode.THREADS).hostFlags(),
                new IoPath(CacheMode.UNSAFE, AioMode.THREADS).hostFlags(), "the guest job never flushes");
    }

    @Test
    void nativeAioNeedsODirect() {
        assertThrows(IllegalArgumentException.class, () -> new IoPath(CacheMode.WRITEBACK, AioMode.NATIVE));
    }

    @Test
    void guestAndHostRunTheSameWorkload() {
        IoPath p = new IoPath(CacheMode.NONE, AioMode.IO_URING);
        FioJob j = FioJob.DISK_JOBS.get(2);
        List<String> g = j.guestArgv(p, 2);
        List<String> h = j.hostArgv(p, "/tmp/x.raw", 64 << 20, 2);
        assertTrue(g.contains("--filename=/dev/disk/by-id/virtio-none-uring"), g.toString());
        for (String a : List.of("--rw=randread", "--bs=4k", "--iodepth=4", "--runtime=2", "--output-format=json")) {
            assertTrue(g.contains(a) && h.contains(a), a);
        }
        assertTrue(h.contains("--size=67108864") && h.contains("--ioengine=io_uring"), h.toString());
    }
}
