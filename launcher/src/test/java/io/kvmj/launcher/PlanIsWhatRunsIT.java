package io.kvmj.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.kvmj.core.model.Accelerator;
import io.kvmj.core.model.GuestSpec;
import io.kvmj.core.model.VirtioSerialChannel;
import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The plan's argv is what runs: QEMU's {@code /proc/PID/cmdline} equals {@link LaunchPlan#argv()}, for a spec (with
 * extra arguments) and for a raw argv; the guest-agent channel is there on q35 (real QEMU, paused, TCG).
 */
class PlanIsWhatRunsIT {
    static Launcher launcher;

    @BeforeAll
    static void setUp() {
        GuestLifecycleIT.setUp();
        launcher = GuestLifecycleIT.launcher;
    }

    static List<String> cmdline(long pid) throws IOException {
        String raw = new String(Files.readAllBytes(Path.of("/proc/" + pid + "/cmdline")), StandardCharsets.UTF_8);
        return Arrays.asList(raw.substring(0, raw.length() - 1).split("\0", -1));
    }

    @Test
    void aSpecPlanWithExtraArgsRunsAsPlannedAndHasTheAgentChannel() throws Exception {
        GuestSpec spec = GuestSpec.builder("it-plan").accelerator(Accelerator.TCG).memoryMiB(64).startPaused(true).build();
        LaunchPlan plan = launcher.plan(spec).withExtraArgs(List.of("-msg", "timestamp=on"));
        try (Guest g = launcher.launch(plan)) {
            assertEquals(plan.argv(), cmdline(g.pid()), "executed argv = planned argv");
            assertEquals(plan.argv(), g.argv());

            Path sock = g.runtimeDir().agentSocket();
            assertEquals(g.runtimeDir().path().resolve("qga.sock"), sock);
            assertTrue(Files.exists(sock), "agent socket in the runtime dir");
            JsonNode chardevs = g.qmp().call("query-chardev");
            JsonNode agent = null;
            for (JsonNode c : chardevs) {
                if (c.path("label").asText().equals("channel0")) {
                    agent = c;
                }
            }
            assertTrue(agent != null && agent.path("filename").asText().contains(sock.toString()), chardevs.toString());
            var args = JsonNodeFactory.instance.objectNode().put("path", "/machine/peripheral/channel0-port")
                    .put("property", "name");
            assertEquals(VirtioSerialChannel.GUEST_AGENT, g.qmp().call("qom-get", args).asText());
            args.put("property", "chardev");
            assertEquals("channel0", g.qmp().call("qom-get", args).asText());
            try (SocketChannel c = SocketChannel.open(UnixDomainSocketAddress.of(sock))) {
                assertTrue(c.isConnected(), "QEMU listens on the agent socket");
            }
        }
    }

    @Test
    void aRawArgvRunsAsPlannedWithoutAnAgentOnMachineNone() throws Exception {
        List<String> raw = GuestLifecycleIT.NONE;
        LaunchPlan plan = launcher.planArgv("it-plan-raw", raw);
        try (Guest g = launcher.launchArgv("it-plan-raw", raw)) {
            assertEquals(plan.argv(), cmdline(g.pid()));
            assertFalse(Files.exists(g.runtimeDir().agentSocket()), "-machine none has no bus for the agent");
            assertTrue(Files.exists(g.runtimeDir().consoleSocket()));
        }
    }
}
