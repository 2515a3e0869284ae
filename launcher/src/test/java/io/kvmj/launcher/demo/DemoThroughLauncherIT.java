package io.kvmj.launcher.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvmj.launcher.Guest;
import io.kvmj.launcher.GuestState;
import io.kvmj.launcher.HowEnded;
import io.kvmj.launcher.LaunchOptions;
import io.kvmj.launcher.Launcher;
import io.kvmj.launcher.ShutdownResult;
import io.kvmj.launcher.process.OrphanProtection;
import io.kvmj.launcher.testutil.Requirements;
import io.kvmj.launcher.testutil.TestRuntime;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.MatchResult;
import org.junit.jupiter.api.Test;

/**
 * The demo guest (real kernel, Java-built initramfs) launched through the launcher API under TCG: console markers
 * awaited, QMP query-status running, graceful end, runtime directory gone, no QEMU left. One boot.
 */
class DemoThroughLauncherIT {
    private static final Duration BOOT = Duration.ofSeconds(240);

    @Test
    void demoGuestThroughTheApi() throws Exception {
        DemoGuestIT.require(DemoGuestIT.onPath(DemoQemuArgs.QEMU) && DemoGuestIT.onPath("qemu-img"),
                "qemu-system-x86_64 / qemu-img not installed");
        GuestKernel kernel = null;
        try {
            kernel = KernelLocator.forThisHost().locate(null);
        } catch (DemoException e) {
            DemoGuestIT.require(false, "no demo guest kernel: " + e.getMessage());
        }
        TestRuntime.use();
        Launcher launcher = Launcher.create(LaunchOptions.defaults().withShutdownTimeout(Duration.ofSeconds(60)));
        try (PreparedDemo prepared = DemoGuest.prepare(kernel, DemoOptions.defaults())) {
            PreparedDemo d = prepared.withAccelerator(new AcceleratorChoice(false, "tcg", "forced by the test"));
            DemoExpectations exp = d.expectations();
            List<String> argv = DemoQemuArgs.argv(d);
            Guest g = launcher.launchArgv("it-demo", argv.subList(1, argv.size()));
            Path runtimeDir = g.runtimeDir().path();
            long pid = g.pid();
            try {
                assertEquals(OrphanProtection.PDEATHSIG, g.orphanProtection());
                assertEquals("tcg", g.accelerator().accelerator());
                MatchResult start = g.awaitConsole("KVMJ-DEMO: start kernel=(\\S+)", BOOT);
                assertFalse(start.group(1).isBlank(), start.group());
                assertEquals("running", g.status(Duration.ofSeconds(30)));
                assertEquals(GuestState.RUNNING, g.state());
                MatchResult disk = g.awaitConsole("KVMJ-DEMO: disk=PASS .*pattern=(\\S+)", BOOT);
                assertEquals(exp.pattern(), disk.group(1));
                g.awaitConsole("KVMJ-DEMO: share=PASS .*content=" + java.util.regex.Pattern.quote(exp.shareContent()),
                        BOOT);
                g.awaitConsole("KVMJ-DEMO: done", BOOT);
                ShutdownResult r = g.shutdown(Duration.ofSeconds(60));
                assertEquals(HowEnded.POWERED_OFF, r.how(), r.toString());
                assertEquals(0, r.exitCode(), r.toString());
                assertEquals("guest-shutdown", r.shutdownReason(), r.toString());
                assertTrue(g.console().text().contains("KVMJ-DEMO: done"), "console log kept the whole output");
            } finally {
                g.close();
            }
            assertFalse(Files.exists(runtimeDir), "runtime directory removed");
            assertFalse(Requirements.alive(pid), "QEMU gone");
            assertTrue(ProcessHandle.current().descendants()
                    .noneMatch(p -> p.info().command().orElse("").contains("qemu-system")), "no QEMU left");
        }
    }
}
