package io.kvmj.launcher.realos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvmj.launcher.Guest;
import io.kvmj.qga.QgaClient;
import io.kvmj.qga.model.GuestExecRequest;
import io.kvmj.qga.model.GuestExecResult;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

/**
 * What a moved guest must still have: a random marker in {@code /dev/shm} (tmpfs: only in the guest's memory, never
 * on its disk) and a {@code sleep} process, known by its pid, name and start time in jiffies since boot (fields 1, 2
 * and 22 of {@code /proc/PID/stat}: a new process with a reused pid would differ).
 *
 * <pre>{@code
 * Carried c = Carried.start(guest);   // before the first move
 * c.assertOn(moved, "after the TCP move");
 * }</pre>
 *
 * @param marker   the text in {@link #FILE}
 * @param pid      the sleeper's pid in the guest
 * @param identity the sleeper's {@code pid (comm) starttime}
 */
record Carried(String marker, long pid, String identity) {
    /** The marker file, on the guest's tmpfs. */
    static final String FILE = "/dev/shm/kvmj-marker";

    /** Writes the marker and starts the sleeper through the guest agent. */
    static Carried start(Guest g) {
        String marker = "m" + UUID.randomUUID().toString().replace("-", "");
        try (QgaClient a = g.agent()) {
            a.writeFile(FILE, marker.getBytes(StandardCharsets.US_ASCII));
            long pid = a.execStart(GuestExecRequest.builder("sleep", "3600").captureOutput(false).build());
            String id = identity(a, pid);
            assertTrue(id.matches(pid + " \\(sleep\\) \\d+"), "the sleeper's /proc stat: " + id);
            return new Carried(marker, pid, id);
        }
    }

    private static String identity(QgaClient a, long pid) {
        GuestExecResult r = a.exec(List.of("cut", "-d", " ", "-f", "1,2,22", "/proc/" + pid + "/stat"),
                Duration.ofSeconds(120));
        return r.stdoutText().strip();
    }

    /** The marker is intact and the same sleeper runs (not a zombie: state S) on {@code g}. */
    void assertOn(Guest g, String where) {
        try (QgaClient a = g.agent()) {
            assertEquals(marker, new String(a.readFile(FILE), StandardCharsets.US_ASCII), "tmpfs marker " + where);
            assertEquals(identity, identity(a, pid), "the same sleep process " + where);
            GuestExecResult state = a.exec(List.of("cut", "-d", " ", "-f", "3", "/proc/" + pid + "/stat"),
                    Duration.ofSeconds(120));
            assertEquals("S", state.stdoutText().strip(), "the sleeper is asleep, not a zombie, " + where);
        }
    }
}
