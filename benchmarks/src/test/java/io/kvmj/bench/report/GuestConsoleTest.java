package io.kvmj.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvmj.bench.guest.GuestConsole;
import java.util.List;
import org.junit.jupiter.api.Test;

class GuestConsoleTest {

    @Test
    void parsesBusyboxDdSummariesIntoMegabytesPerSecond() {
        List<String> lines = List.of(
                "[    1.0] random kernel line",
                "KVMJ-BENCH: start disks=2 want=2 mib=16 uptime=1.20",
                "KVMJ-BENCH: disk=vda serial=raw-full test=write-fsync bytes=16777216 us=500000 status=ok",
                "KVMJ-BENCH: disk=vdb serial=none test=read bytes=0 us=0 status=fail:dd:_can't_open_'/dev/vdb':_No_such_device",
                "KVMJ-BENCH: done uptime=9.1");
        List<GuestConsole.DdRun> runs = GuestConsole.parse(lines);
        assertEquals(2, runs.size());
        GuestConsole.DdRun a = runs.get(0);
        assertEquals("vda", a.disk());
        assertEquals("raw-full", a.serial());
        assertEquals("write-fsync", a.test());
        assertEquals(16777216, a.bytes());
        assertEquals(33.554432, a.mbPerSec(), 1e-9);
        assertTrue(a.ok());
        GuestConsole.DdRun b = runs.get(1);
        assertFalse(b.ok());
        assertTrue(b.status().contains("No such device"), b.status());
        assertTrue(GuestConsole.done(lines));
        assertTrue(GuestConsole.start(lines).orElseThrow().contains("disks=2"));
    }
}
