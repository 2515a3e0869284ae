package io.kvmj.launcher;

import io.kvmj.launcher.process.GuestRecord;
import io.kvmj.launcher.process.RuntimeDir;
import java.nio.file.Files;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What {@code kvmj list} and {@code kvmj info} show of a guest beyond its {@link GuestInfo}: the run state QEMU
 * reports ({@code query-status}: running, paused, prelaunch, inmigrate, …; {@code exited} when QEMU is gone,
 * {@code unknown} when every QMP socket is held by another client), vCPUs and memory (from the argv that runs), the ssh
 * address (the forwarded port recorded at launch), the VNC address, whether the guest has an agent channel, and the
 * uptime.
 *
 * <pre>{@code
 * for (GuestInfo g : GuestRegistry.list()) {
 *     GuestStatus s = GuestStatus.of(g, Duration.ofSeconds(2));
 *     System.out.println(g.name() + " " + s.state() + " " + s.ssh());
 * }
 * }</pre>
 *
 * @param state         QEMU's run state, or {@code exited}/{@code unknown}
 * @param vcpus         vCPUs at start ({@code -smp}; 1 when not given)
 * @param memoryMiB     guest RAM in MiB ({@code -m}; QEMU's default 128 when not given)
 * @param ssh           {@code 127.0.0.1:PORT} forwarded to guest port 22, or null
 * @param sshUser       the user cloud-init gave the ssh key to, or null
 * @param vnc           the VNC listener {@code HOST:PORT}, or null
 * @param agentChannel  the guest has the guest-agent port ({@code qga.sock})
 * @param uptime        time since launch, or null when unknown
 */
public record GuestStatus(String state, int vcpus, long memoryMiB, String ssh, String sshUser, String vnc,
                          boolean agentChannel, Duration uptime) {
    private static final Pattern SMP = Pattern.compile("(?:^|\\s)'?-smp'?\\s+'?(?:cpus\\\\?=)?(\\d+)");
    private static final Pattern MEM = Pattern.compile("(?:^|\\s)'?-m'?\\s+'?(?:size\\\\?=)?(\\d+)([KMGTkmgt]?)");

    /** The status of {@code g}; asks QEMU for its run state within {@code timeout} on a QMP socket nobody holds. */
    public static GuestStatus of(GuestInfo g, Duration timeout) {
        GuestRecord info = RuntimeDir.find(g.name()).map(RuntimeDir::record).orElse(GuestRecord.named(g.name()));
        String state = g.alive() ? queryState(g, timeout) : "exited";
        Integer port = info.sshPort();
        String user = info.cloudInitSshUser();
        Duration up = null;
        try {
            up = g.created().isEmpty() ? null : Duration.between(created(g.created()), Instant.now());
        } catch (DateTimeException e) {
            up = null;
        }
        return new GuestStatus(state, vcpus(g.commandLine()), memoryMiB(g.commandLine()),
                port == null ? null : "127.0.0.1:" + port, user == null || user.isBlank() ? null : user,
                g.vnc().orElse(null), Files.exists(g.runtimeDir().resolve("qga.sock")), g.alive() ? up : null);
    }

    private static String queryState(GuestInfo g, Duration timeout) {
        try {
            // one blocking round trip, no Netty, the reply read as JSON (the "status" of StatusInfo): kvmj list asks this
            // once per guest and exits, and the typed mapping's set-up would cost more than the round trip (issue 19)
            String status = ClaimedQmp.callOnce(List.of(g.qmpSocket(), g.eventsSocket()), "query-status", null,
                    timeout).path("status").asText("");
            return status.isEmpty() ? "unknown" : status;
        } catch (RuntimeException e) { // QmpException (busy, gone) included
            return "unknown";
        }
    }

    /** vCPUs named by a shell-quoted command line ({@code -smp cpus=N,…} or {@code -smp N}); 1 without {@code -smp}. */
    static int vcpus(String commandLine) {
        Matcher m = SMP.matcher(commandLine == null ? "" : commandLine);
        return m.find() ? Integer.parseInt(m.group(1)) : 1;
    }

    /**
     * Guest RAM in whole MiB named by a command line ({@code -m size=1024M}, {@code -m 2G}, {@code -m 512}, and
     * {@code -m size=1048584K}, kvmj's TCG padding, as 1024); else 128.
     */
    static long memoryMiB(String commandLine) {
        Matcher m = MEM.matcher(commandLine == null ? "" : commandLine);
        if (!m.find()) {
            return 128;
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2).toUpperCase(Locale.ROOT)) {
            case "K" -> n / 1024;
            case "G" -> n * 1024;
            case "T" -> n * 1024 * 1024;
            default -> n;
        };
    }

    /**
     * The launch time recorded in {@code guest.json} ({@code Instant.now().toString()} when the runtime directory was
     * claimed): that exact shape, {@code 2026-12-01T06:05:39.913793514Z}, is read field by field; anything else by
     * {@link Instant#parse}, whose result it equals (GuestStatusTest). {@code Instant.parse} first builds the JDK's
     * {@code DateTimeFormatter} constants, a noticeable part of {@code kvmj list}'s start time (issue 19).
     *
     * @throws DateTimeException when {@link Instant#parse} cannot read it either
     */
    static Instant created(String text) {
        int n = text.length();
        if (n >= 20 && n <= 30 && n != 21 && text.charAt(n - 1) == 'Z' && digits(text, 0, 4) && text.charAt(4) == '-'
                && digits(text, 5, 7) && text.charAt(7) == '-' && digits(text, 8, 10) && text.charAt(10) == 'T'
                && digits(text, 11, 13) && text.charAt(13) == ':' && digits(text, 14, 16) && text.charAt(16) == ':'
                && digits(text, 17, 19) && (n == 20 || text.charAt(19) == '.' && digits(text, 20, n - 1))) {
            try {
                int nanos = 0;
                for (int i = 20; i < 29; i++) {
                    nanos = nanos * 10 + (i < n - 1 ? text.charAt(i) - '0' : 0);
                }
                return LocalDateTime.of(number(text, 0, 4), number(text, 5, 7), number(text, 8, 10),
                        number(text, 11, 13), number(text, 14, 16), number(text, 17, 19), nanos)
                        .toInstant(ZoneOffset.UTC);
            } catch (DateTimeException e) {
                // out of range (a leap second, 24:00): as Instant.parse reads it
            }
        }
        return Instant.parse(text);
    }

    private static boolean digits(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    private static int number(String s, int from, int to) {
        int v = 0;
        for (int i = from; i < to; i++) {
            v = v * 10 + s.charAt(i) - '0';
        }
        return v;
    }

    /**
     * Uptime as {@code 1h02m}, {@code 3m05s} or {@code 42s}; {@code -} when unknown. (Put together by hand: the JDK's
     * {@code Formatter} costs {@code kvmj list} several ms to set up.)
     */
    public String uptimeText() {
        if (uptime == null) {
            return "-";
        }
        long s = uptime.toSeconds();
        if (s >= 3600) {
            return s / 3600 + "h" + twoDigits((s % 3600) / 60) + "m";
        }
        return s >= 60 ? s / 60 + "m" + twoDigits(s % 60) + "s" : s + "s";
    }

    private static String twoDigits(long v) {
        return v < 10 ? "0" + v : Long.toString(v);
    }
}
