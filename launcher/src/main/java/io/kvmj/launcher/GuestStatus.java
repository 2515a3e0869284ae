package io.kvmj.launcher;

import io.kvmj.launcher.process.RuntimeDir;
import io.kvmj.launcher.ssh.SshAccess;
import io.kvmj.qmp.QmpMonitor;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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
    private static final Pattern MEM = Pattern.compile("(?:^|\\s)'?-m'?\\s+'?(?:size\\\\?=)?(\\d+)([MGmg]?)");

    /** The status of {@code g}; asks QEMU for its run state within {@code timeout} on a QMP socket nobody holds. */
    public static GuestStatus of(GuestInfo g, Duration timeout) {
        Map<String, String> info = RuntimeDir.find(g.name()).map(RuntimeDir::readInfo).orElse(Map.of());
        String state = g.alive() ? queryState(g, timeout) : "exited";
        String port = info.get(SshAccess.PORT_KEY);
        String user = info.get(SshAccess.USER_KEY);
        Duration up = null;
        try {
            up = g.created().isEmpty() ? null : Duration.between(Instant.parse(g.created()), Instant.now());
        } catch (DateTimeParseException e) {
            up = null;
        }
        return new GuestStatus(state, vcpus(g.commandLine()), memoryMiB(g.commandLine()),
                port == null || port.isBlank() ? null : "127.0.0.1:" + port, user == null || user.isBlank() ? null : user,
                g.vnc().orElse(null), Files.exists(g.runtimeDir().resolve("qga.sock")), g.alive() ? up : null);
    }

    private static String queryState(GuestInfo g, Duration timeout) {
        try (QmpMonitor qmp = ClaimedQmp.open(List.of(g.qmpSocket(), g.eventsSocket()), "status-" + g.name(),
                timeout)) {
            return qmp.call("query-status", null, timeout).path("status").asText("unknown");
        } catch (RuntimeException e) { // QmpException (busy, gone) included
            return "unknown";
        }
    }

    /** vCPUs named by a shell-quoted command line ({@code -smp cpus=N,…} or {@code -smp N}); 1 without {@code -smp}. */
    static int vcpus(String commandLine) {
        Matcher m = SMP.matcher(commandLine == null ? "" : commandLine);
        return m.find() ? Integer.parseInt(m.group(1)) : 1;
    }

    /** Guest RAM in MiB named by a command line ({@code -m size=1024M}, {@code -m 2G}, {@code -m 512}); else 128. */
    static long memoryMiB(String commandLine) {
        Matcher m = MEM.matcher(commandLine == null ? "" : commandLine);
        if (!m.find()) {
            return 128;
        }
        long n = Long.parseLong(m.group(1));
        return m.group(2).toUpperCase(Locale.ROOT).equals("G") ? n * 1024 : n;
    }

    /** Uptime as {@code 1h02m}, {@code 3m05s} or {@code 42s}; {@code -} when unknown. */
    public String uptimeText() {
        if (uptime == null) {
            return "-";
        }
        long s = uptime.toSeconds();
        if (s >= 3600) {
            return String.format(Locale.ROOT, "%dh%02dm", s / 3600, (s % 3600) / 60);
        }
        return s >= 60 ? String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60) : s + "s";
    }
}
