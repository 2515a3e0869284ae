package io.kvmj.bench.guest;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses the guest-disk benchmark's console:
 * {@code KVMJ-BENCH: disk=vda serial=S test=T bytes=N us=M status=ok|fail:...} lines.
 */
public final class GuestConsole {

    private static final Pattern TEST = Pattern.compile(
            "KVMJ-BENCH: disk=(\\S+) serial=(\\S+) test=(\\S+) bytes=(\\d+) us=(-?\\d+) status=(\\S*)");

    /**
     * One dd inside the guest.
     *
     * @param disk    guest block device (vda, vdb, ...)
     * @param serial  virtio serial (the layout id the host gave), or "none"
     * @param test    write-fsync, write-direct or read
     * @param bytes   bytes dd copied, 0 when dd failed
     * @param seconds seconds the guest measured around dd (adjtimex, µs resolution)
     * @param status  "ok" or "fail:" with dd's last error line
     */
    public record DdRun(String disk, String serial, String test, long bytes, double seconds, String status) {

        /** MB/s (10^6 bytes per second) from dd's byte count and seconds; NaN when dd failed. */
        public double mbPerSec() {
            return bytes > 0 && seconds > 0 ? bytes / seconds / 1e6 : Double.NaN;
        }

        public boolean ok() {
            return "ok".equals(status) && bytes > 0 && seconds > 0;
        }
    }

    private GuestConsole() {
    }

    /** Every dd result on the console, in order. */
    public static List<DdRun> parse(List<String> lines) {
        List<DdRun> out = new ArrayList<>();
        for (String l : lines) {
            Matcher m = TEST.matcher(l);
            if (!m.find()) {
                continue;
            }
            out.add(new DdRun(m.group(1), m.group(2), m.group(3), Long.parseLong(m.group(4)),
                    Long.parseLong(m.group(5)) / 1e6, m.group(6).replace('_', ' ')));
        }
        return out;
    }

    /** True when the guest printed its "done" marker. */
    public static boolean done(List<String> lines) {
        return lines.stream().anyMatch(l -> l.contains("KVMJ-BENCH: done"));
    }

    /** The "start" marker, if printed. */
    public static Optional<String> start(List<String> lines) {
        return lines.stream().filter(l -> l.contains("KVMJ-BENCH: start")).findFirst();
    }
}
