package io.kvmj.qmp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * The QMP greeting QEMU sends on connect: {@code {"QMP": {"version": {"qemu": {...}, "package": ...},
 * "capabilities": [...]}}}, plus the capabilities this client then enabled with {@code qmp_capabilities}.
 *
 * @param version      QEMU version
 * @param packageName  distribution package string (may be empty)
 * @param capabilities capabilities QEMU offered (e.g. {@code oob})
 * @param enabled      capabilities this client enabled during negotiation
 */
public record QmpGreeting(QemuVersion version, String packageName, List<String> capabilities, List<String> enabled) {

    public QmpGreeting {
        capabilities = List.copyOf(capabilities);
        enabled = List.copyOf(enabled);
    }

    /** True if QEMU offered out-of-band execution. */
    public boolean oobOffered() {
        return capabilities.contains("oob");
    }

    /** True if out-of-band execution was negotiated ({@code exec-oob} usable). */
    public boolean oobEnabled() {
        return enabled.contains("oob");
    }

    /** Same greeting with the negotiated capabilities set. */
    public QmpGreeting withEnabled(List<String> enabledCapabilities) {
        return new QmpGreeting(version, packageName, capabilities, enabledCapabilities);
    }

    /**
     * The capabilities to enable in reply to this greeting: {@code oob} when wanted and offered, else none.
     */
    public List<String> toEnable(boolean wantOob) {
        return wantOob && oobOffered() ? List.of("oob") : List.of();
    }

    /**
     * The arguments of {@code qmp_capabilities} enabling {@code enable}: {@code {"enable":[...]}}, or null when
     * nothing is enabled (QEMU 7.2 rejects an {@code enable} list it does not know, and an empty one is noise).
     */
    public static ObjectNode capabilitiesArguments(List<String> enable) {
        if (enable.isEmpty()) {
            return null;
        }
        ObjectNode args = QmpJson.object();
        enable.forEach(args.putArray("enable")::add);
        return args;
    }

    /**
     * Parses a greeting message.
     *
     * @throws QmpGreetingException if the message is not a well-formed greeting
     */
    public static QmpGreeting parse(JsonNode message) {
        JsonNode qmp = message == null ? null : message.get("QMP");
        if (qmp == null || !qmp.isObject()) {
            throw new QmpGreetingException("not a QMP greeting: " + abbreviate(message));
        }
        JsonNode qemu = qmp.path("version").path("qemu");
        if (!qemu.path("major").isInt() || !qemu.path("minor").isInt()) {
            throw new QmpGreetingException("QMP greeting without version.qemu.major/minor: " + abbreviate(message));
        }
        QemuVersion v = new QemuVersion(qemu.get("major").asInt(), qemu.get("minor").asInt(),
                qemu.path("micro").asInt(0));
        List<String> caps = new ArrayList<>();
        JsonNode c = qmp.path("capabilities");
        if (!c.isArray()) {
            throw new QmpGreetingException("QMP greeting without capabilities array: " + abbreviate(message));
        }
        c.forEach(n -> caps.add(n.asText()));
        return new QmpGreeting(v, qmp.path("version").path("package").asText(""), caps, List.of());
    }

    static String abbreviate(JsonNode n) {
        String s = String.valueOf(n);
        return s.length() > 200 ? s.substring(0, 200) + "..." : s;
    }
}
