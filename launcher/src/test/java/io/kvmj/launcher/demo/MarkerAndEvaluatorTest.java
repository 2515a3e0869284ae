package io.kvmj.launcher.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class MarkerAndEvaluatorTest {
    final DemoExpectations exp = new DemoExpectations("kvmj-abc", 8192, "kvmjshare", "f.txt", "secret-123");

    List<ConsoleLine> console(String... lines) {
        List<ConsoleLine> out = new ArrayList<>();
        for (int i = 0; i < lines.length; i++) {
            out.add(new ConsoleLine(100L * i, lines[i]));
        }
        return out;
    }

    List<ConsoleLine> goodConsole() {
        return console(
            "[    0.000000] Linux version 6.1.0",
            "KVMJ-DEMO: start kernel=6.1.0-56-amd64 uptime=2.71",
            "KVMJ-DEMO: modules=PASS loaded=virtio_ring,virtio",
            "KVMJ-DEMO: devices virtio=virtio0:0x0002,virtio1:0x0009 block=vda",
            "KVMJ-DEMO: disk=PASS device=/dev/vda bytes=8192 direct=yes pattern=kvmj-abc sha256=" + exp.patternSha256(),
            "[    3.1] some kernel noise KVMJ-DEMO: share=PASS tag=kvmjshare file=f.txt content=secret-123 wrote=yes",
            "KVMJ-DEMO: done uptime=3.87");
    }

    @Test
    void parsesKeyValueAndFields() {
        Marker m = Marker.parse("junk KVMJ-DEMO: disk=FAIL reason=x flag", 42).orElseThrow();
        assertEquals("disk", m.key());
        assertEquals("FAIL", m.value());
        assertFalse(m.pass());
        assertEquals(Map.of("reason", "x", "flag", ""), m.fields());
        assertEquals(42, m.atMillis());
        Marker s = Marker.parse("KVMJ-DEMO: start kernel=6.1 uptime=1.5", 7).orElseThrow();
        assertEquals("start", s.key());
        assertEquals("", s.value());
        assertEquals(Optional.of("1.5"), s.field("uptime"));
        assertEquals(Optional.empty(), Marker.parse("no marker here", 0));
        assertEquals(Optional.empty(), Marker.parse("KVMJ-DEMO: ", 0));
    }

    @Test
    void allChecksPassWhenValuesMatchWhatTheHostChose() {
        List<DemoCheck> checks = DemoEvaluator.consoleChecks(DemoEvaluator.markers(goodConsole()), exp);
        assertEquals(List.of("modules", "disk", "share", "init-done"), checks.stream().map(DemoCheck::name).toList());
        assertTrue(checks.stream().allMatch(DemoCheck::passed), checks.toString());
    }

    @Test
    void aGuestSayingPassWithTheWrongContentFails() {
        List<ConsoleLine> lines = new ArrayList<>(goodConsole());
        lines.set(5, new ConsoleLine(500, "KVMJ-DEMO: share=PASS tag=kvmjshare file=f.txt content=other wrote=yes"));
        lines.set(4, new ConsoleLine(400, "KVMJ-DEMO: disk=PASS device=/dev/vda bytes=8192 direct=yes pattern=kvmj-abc"
            + " sha256=0000"));
        List<DemoCheck> checks = DemoEvaluator.consoleChecks(DemoEvaluator.markers(lines), exp);
        DemoCheck disk = checks.get(1);
        DemoCheck share = checks.get(2);
        assertFalse(disk.passed());
        assertTrue(disk.detail().contains("0000"), disk.detail());
        assertFalse(share.passed());
        assertTrue(share.detail().contains("other") && share.detail().contains("secret-123"), share.detail());
    }

    @Test
    void missingMarkersFailEveryCheck() {
        List<DemoCheck> checks = DemoEvaluator.consoleChecks(
            DemoEvaluator.markers(console("Kernel panic - not syncing: VFS")), exp);
        assertEquals(4, checks.size());
        assertTrue(checks.stream().noneMatch(DemoCheck::passed));
    }

    @Test
    void guestFailureDetailsAreReported() {
        List<DemoCheck> checks = DemoEvaluator.consoleChecks(DemoEvaluator.markers(console(
            "KVMJ-DEMO: modules=FAIL failed=9p loaded=virtio",
            "KVMJ-DEMO: share=FAIL reason=mount-failed:No_such_device")), exp);
        assertFalse(checks.get(0).passed());
        assertTrue(checks.get(0).detail().contains("9p"));
        assertTrue(checks.get(2).detail().contains("mount-failed"), checks.get(2).detail());
    }

    @Test
    void reportPassesOnlyWithACleanShutdownAndSerialisesToJson() {
        List<DemoCheck> ok = List.of(DemoCheck.pass("disk", "fine"));
        DemoReport good = new DemoReport("tcg", "no vmx", "k", "m", "none", "odirect", 1500L, 2.5, 3000, "virtio",
            ok, true, 0, false, null, List.of());
        assertTrue(good.passed());
        assertTrue(good.summary().contains("TCG (no vmx)"), good.summary());
        assertTrue(good.toJson().contains("\"passed\" : true"), good.toJson());
        DemoReport killed = new DemoReport("tcg", "no vmx", "k", "m", "none", "odirect", 1500L, 2.5, 3000, "virtio",
            ok, false, null, true, null, List.of("last line"));
        assertFalse(killed.passed());
        assertTrue(killed.summary().contains("killed"), killed.summary());
        assertFalse(new DemoReport("tcg", "r", "k", "m", "none", "o", null, null, 1, "", List.of(), true, 0, false,
            null, List.of()).passed(), "no checks is not a pass");
    }
}
