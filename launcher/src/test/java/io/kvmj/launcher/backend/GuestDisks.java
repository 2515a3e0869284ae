package io.kvmj.launcher.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kvmj.core.model.DiskFormat;
import io.kvmj.launcher.cli.CliProcess;
import io.kvmj.launcher.migrate.MigrationTestGuest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.MatchResult;

/**
 * The busybox test guest's virtio disks, asked over its console (a shell that runs each line): which {@code /dev/vdX}
 * starts with a marker, its size in 512-byte sectors ({@code /sys/block/vdX/size}) and serial, and whether it is gone;
 * and the marked images the hot-plug checks attach.
 */
final class GuestDisks {
    private static final Duration WAIT = Duration.ofSeconds(120);

    /** Sends one line to the guest's shell and waits for a regex in its output. */
    @FunctionalInterface
    interface Shell {
        MatchResult ask(String line, String reply) throws Exception;
    }

    /** What the guest sees of one disk. */
    record Seen(String dev, long sectors, String serial) {
    }

    private GuestDisks() {
    }

    /** {@link Shell} over a {@link BackendConsole} whose output goes to {@code out}. */
    static Shell over(BackendConsole con, ApiConsole out) {
        return (line, reply) -> {
            con.send(line);
            return out.await(reply, WAIT);
        };
    }

    /** {@link Shell} over a {@code kvmj console} process. */
    static Shell over(CliConsole con) {
        return (line, reply) -> {
            con.send(line);
            return con.await(reply, WAIT);
        };
    }

    /**
     * A new 8 MiB image {@code file} of {@code format} whose first bytes are {@code marker} (written raw, converted to
     * qcow2 by qemu-img when asked).
     */
    static Path marked(Path file, DiskFormat format, String marker) throws Exception {
        Path raw = format == DiskFormat.RAW ? file : file.resolveSibling(file.getFileName() + ".raw");
        byte[] data = new byte[8 << 20];
        byte[] m = marker.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(m, 0, data, 0, m.length);
        Files.write(raw, data);
        if (format != DiskFormat.RAW) {
            CliProcess.Result r = CliProcess.sh(60, "qemu-img", "convert", "-f", "raw", "-O", format.driver(),
                    raw.toString(), file.toString());
            assertEquals(0, r.exit(), r.toString());
            Files.delete(raw);
        }
        return file;
    }

    /** The guest's virtio disk whose first sector starts with {@code marker}, waiting for it to appear. */
    static Seen find(Shell sh, String marker) throws Exception {
        int n = MigrationTestGuest.nonce();
        MatchResult m = sh.ask("i=0; f=; while [ -z \"$f\" ] && [ $i -lt 300 ]; do for b in /sys/block/vd*; do "
                + "[ -e \"$b\" ] || continue; d=${b##*/}; [ \"$(dd if=/dev/$d bs=512 count=1 2>/dev/null | head -c "
                + marker.length() + ")\" = \"" + marker + "\" ] && f=$d; done; [ -n \"$f\" ] || usleep 100000; "
                + "i=$((i+1)); done; echo \"A$((" + n + ")) dev=[$f] size=[$(cat /sys/block/$f/size 2>/dev/null)] "
                + "serial=[$(cat /sys/block/$f/serial 2>/dev/null)]\"\n",
                "A" + n + " dev=\\[(\\w*)\\] size=\\[(\\d*)\\] serial=\\[([^\\]]*)\\]");
        if (m.group(1).isEmpty()) {
            throw new AssertionError("the guest has no virtio disk starting with " + marker + " within 30 s");
        }
        return new Seen(m.group(1), Long.parseLong(m.group(2)), m.group(3));
    }

    /** {@code /sys/block/DEV/size} once it is {@code sectors} (waiting up to 10 s), else as it is then. */
    static long sectors(Shell sh, String dev, long sectors) throws Exception {
        int n = MigrationTestGuest.nonce();
        return Long.parseLong(sh.ask("i=0; while [ \"$(cat /sys/block/" + dev + "/size)\" != " + sectors + " ] && "
                + "[ $i -lt 100 ]; do usleep 100000; i=$((i+1)); done; echo \"S$((" + n + ")) size=[$(cat /sys/block/"
                + dev + "/size)]\"\n", "S" + n + " size=\\[(\\d+)\\]").group(1)); // ]: the whole number arrived
    }

    /** Whether {@code /sys/block/DEV} went away (waiting up to 30 s). */
    static boolean gone(Shell sh, String dev) throws Exception {
        int n = MigrationTestGuest.nonce();
        return sh.ask("i=0; while [ -e /sys/block/" + dev + " ] && [ $i -lt 300 ]; do usleep 100000; i=$((i+1)); "
                + "done; [ -e /sys/block/" + dev + " ] && echo \"G$((" + n + ")) still\" || echo \"G$((" + n
                + ")) gone\"\n", "G" + n + " (still|gone)").group(1).equals("gone");
    }
}
