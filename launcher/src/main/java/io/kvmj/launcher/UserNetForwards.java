package io.kvmj.launcher;

import io.kvmj.launcher.process.RuntimeDir;
import io.kvmj.qmp.QmpJson;
import io.kvmj.qmp.QmpMonitor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The host ports QEMU's user-mode networking really bound for {@code hostfwd} rules, read from the monitor's
 * {@code info usernet} (there is no QMP command for it in QEMU 7.2). A rule with host port 0 gets a free port from
 * the kernel, so this is the only way to learn it.
 *
 * <pre>{@code
 * List<Forward> f = UserNetForwards.query(guest.qmp(), Duration.ofSeconds(5));   // e.g. [tcp 127.0.0.1:38467 -> 22]
 * }</pre>
 */
public final class UserNetForwards {
    private static final Logger LOG = LoggerFactory.getLogger(UserNetForwards.class);
    // "  TCP[HOST_FORWARD]   9       127.0.0.1 38467       10.0.2.15    22     0     0"
    private static final Pattern LINE = Pattern.compile(
            "^\\s*(TCP|UDP)\\[HOST_FORWARD\\]\\s+-?\\d+\\s+(\\S+)\\s+(\\d+)\\s+(\\S+)\\s+(\\d+)\\b", Pattern.MULTILINE);

    /** One bound forward: host address and port to guest address and port. */
    public record Forward(String protocol, String hostAddress, int hostPort, String guestAddress, int guestPort) {}

    private UserNetForwards() {}

    /** Parses the text of {@code info usernet}. */
    public static List<Forward> parse(String infoUsernet) {
        List<Forward> out = new ArrayList<>();
        Matcher m = LINE.matcher(infoUsernet);
        while (m.find()) {
            out.add(new Forward(m.group(1).toLowerCase(java.util.Locale.ROOT), m.group(2), Integer.parseInt(m.group(3)),
                    m.group(4), Integer.parseInt(m.group(5))));
        }
        return out;
    }

    /** Asks QEMU for its bound forwards. */
    public static List<Forward> query(QmpMonitor qmp, Duration timeout) {
        String text = qmp.call("human-monitor-command",
                QmpJson.object().put("command-line", "info usernet"), timeout).asText();
        return parse(text);
    }

    /** After launch: when the argv forwards guest port 22, records the bound host port in the guest's record ({@code sshPort}). */
    static void recordSshPort(String name, RuntimeDir dir, QmpMonitor qmp, List<String> argv) {
        if (argv.stream().noneMatch(a -> a.contains("hostfwd=tcp:") && a.matches(".*hostfwd=tcp:[^,]*-[^,]*:22(,.*|$)"))) {
            return;
        }
        try {
            query(qmp, Duration.ofSeconds(5)).stream()
                    .filter(f -> f.protocol().equals("tcp") && f.guestPort() == 22).findFirst()
                    .ifPresent(f -> dir.update(r -> r.toBuilder().sshPort(f.hostPort()).build()));
        } catch (RuntimeException e) {
            LOG.warn("guest {}: cannot read the ssh port forward from QEMU: {}", name, e.toString());
        }
    }
}
