package io.kvmj.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.kvmj.core.qemu.ShellQuote;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** vCPUs and memory read back from the command line kvmj records (the argv that runs). */
class GuestStatusTest {
    @Test
    void readsTheRenderedSmpAndMemory() {
        String cl = ShellQuote.join(List.of("qemu-system-x86_64", "-name", "guest=vm1", "-smp",
                "cpus=2,sockets=2,cores=1,threads=1", "-m", "size=1024M", "-display", "none"));
        assertEquals(2, GuestStatus.vcpus(cl));
        assertEquals(1024, GuestStatus.memoryMiB(cl));
    }

    @Test
    void rawArgvFormsAndQemuDefaults() {
        assertEquals(4, GuestStatus.vcpus("qemu-system-x86_64 -smp 4 -m 2G"));
        assertEquals(2048, GuestStatus.memoryMiB("qemu-system-x86_64 -smp 4 -m 2G"));
        assertEquals(512, GuestStatus.memoryMiB("qemu-system-x86_64 -m 512"));
        assertEquals(96, GuestStatus.memoryMiB("qemu-system-x86_64 -m size=98312K"), "kvmj's TCG padding: 96 MiB + 8 KiB");
        assertEquals(1024, GuestStatus.memoryMiB("qemu-system-x86_64 -m 1048584k"));
        assertEquals(1024 * 1024, GuestStatus.memoryMiB("qemu-system-x86_64 -m 1T"));
        assertEquals(1, GuestStatus.vcpus("qemu-system-x86_64 -machine none"));
        assertEquals(128, GuestStatus.memoryMiB("qemu-system-x86_64 -machine none"));
        assertEquals(1, GuestStatus.vcpus("qemu-system-x86_64 -name guest=-smp-x -machine none"));
    }

    @Test
    void theLaunchTimeIsReadAsInstantParseReadsIt() {
        java.util.Random r = new java.util.Random(19);
        for (int i = 0; i < 2000; i++) {
            Instant t = Instant.ofEpochSecond(r.nextInt(Integer.MAX_VALUE) * 2L,
                    i % 4 == 0 ? 0 : r.nextInt(1_000_000_000));
            if (i % 4 == 1) {
                t = t.truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
            } else if (i % 4 == 2) {
                t = t.truncatedTo(java.time.temporal.ChronoUnit.MICROS);
            }
            assertEquals(t, GuestStatus.created(t.toString()), t.toString());
        }
        // odd and invalid shapes: whatever Instant.parse makes of them, a value or a DateTimeException
        for (String s : new String[] {"2026-12-01T06:05:39Z", "2026-12-01T06:05:39.9Z", "2026-12-01T06:05:39.91Z",
                "2026-12-01T06:05:39.9137935Z", "2026-12-01T06:05:39.000000001Z", "0000-01-01T00:00:00Z",
                "9999-12-31T23:59:59.999999999Z", "2016-12-31T23:59:60Z", "2026-02-28T23:59:59.5Z",
                "+12026-01-01T00:00:00Z", "2026-12-01t06:05:39z", "2026-02-30T00:00:00Z", "2026-12-01T24:00:00Z",
                "2026-12-01T06:05:39.Z", "2026-12-01T06:05:39.1234567890Z", "2026-12-01T06:05:39",
                "2026-12-01 06:05:39Z", "", "x", "2026-12-01T06:05:3aZ", "2026-13-01T00:00:00Z",
                "2026-12-01T06:05:39+01:00", "2026-12-01T06:60:00Z"}) {
            Object want;
            try {
                want = Instant.parse(s);
            } catch (DateTimeException e) {
                want = DateTimeException.class;
            }
            Object got;
            try {
                got = GuestStatus.created(s);
            } catch (DateTimeException e) {
                got = DateTimeException.class;
            }
            assertEquals(want, got, s);
        }
        assertThrows(DateTimeException.class, () -> GuestStatus.created("2026-02-30T00:00:00Z"));
    }

    @Test
    void uptimeTextAsTheFormatStringsSaidIt() {
        for (long s : new long[] {0, 1, 9, 10, 59, 60, 61, 65, 600, 3599, 3600, 3660, 3725, 35_999, 36_000,
                86_400 * 3 + 7, -5}) {
            String want = s >= 3600 ? String.format(java.util.Locale.ROOT, "%dh%02dm", s / 3600, (s % 3600) / 60)
                    : s >= 60 ? String.format(java.util.Locale.ROOT, "%dm%02ds", s / 60, s % 60) : s + "s";
            GuestStatus st = new GuestStatus("running", 1, 64, null, null, null, false, Duration.ofSeconds(s));
            assertEquals(want, st.uptimeText(), Long.toString(s));
        }
        assertEquals("-", new GuestStatus("exited", 1, 64, null, null, null, false, null).uptimeText());
    }
}
