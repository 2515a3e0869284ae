package io.kvmj.launcher.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kvmj.launcher.GuestInfo;
import io.kvmj.launcher.GuestStatus;
import io.kvmj.launcher.ShutdownResult;

/** JSON shapes of guests and results. */
final class GuestJson {
    private GuestJson() {}

    static ObjectNode of(GuestInfo g) {
        ObjectNode o = Json.object().put("name", g.name()).put("pid", g.pid()).put("alive", g.alive())
                .put("detached", g.detached()).put("accelerator", g.accelerator())
                .put("acceleratorReason", g.acceleratorReason()).put("created", g.created())
                .put("runtimeDir", g.runtimeDir().toString()).put("qmpSocket", g.qmpSocket().toString())
                .put("eventsSocket", g.eventsSocket().toString());
        o.put("consoleSocket", g.consoleSocket() == null ? null : g.consoleSocket().toString());
        o.put("consoleLog", g.consoleLog() == null ? null : g.consoleLog().toString());
        o.put("vnc", g.vnc().orElse(null));
        o.put("commandLine", g.commandLine());
        return o;
    }

    /** {@link #of(GuestInfo)} with what {@link GuestStatus} adds. */
    static ObjectNode of(GuestInfo g, GuestStatus s) {
        ObjectNode o = of(g);
        o.put("state", s.state()).put("vcpus", s.vcpus()).put("memoryMiB", s.memoryMiB()).put("ssh", s.ssh())
                .put("sshUser", s.sshUser()).put("agentChannel", s.agentChannel())
                .put("agentSocket", s.agentChannel() ? g.runtimeDir().resolve("qga.sock").toString() : null)
                .put("uptimeSeconds", s.uptime() == null ? null : s.uptime().toSeconds());
        return o;
    }

    static ObjectNode of(String name, ShutdownResult r) {
        ObjectNode o = Json.object().put("name", name).put("how", r.how().name()).put("exitCode", r.exitCode())
                .put("shutdownReason", r.shutdownReason()).put("graceful", r.graceful())
                .put("tookMillis", r.took().toMillis());
        var steps = o.putArray("steps");
        r.steps().forEach(st -> steps.add(st.name()));
        return o;
    }
}
