package io.kvmj.launcher.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvmj.core.model.Accelerator;
import io.kvmj.launcher.Guest;
import io.kvmj.launcher.GuestState;
import io.kvmj.launcher.HowEnded;
import io.kvmj.launcher.LaunchOptions;
import io.kvmj.launcher.Launcher;
import io.kvmj.launcher.process.Executables;
import io.kvmj.launcher.process.OrphanProtection;
import io.kvmj.launcher.testutil.Requirements;
import io.kvmj.launcher.testutil.TestRuntime;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.regex.MatchResult;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real demo guest (real kernel, Java-built initramfs) as a typed GuestSpec launched through the launcher under
 * TCG, booted ONCE: the launcher's view (orphan protection, accelerator, console awaited, QMP query-status running,
 * powered-off result, runtime directory gone, QEMU gone) and the demo's view (disk pattern and 9p content the host
 * chose at random seen inside the guest, the guest's write over 9p, the host reading the pattern back, the report)
 * on the same run. Plus QEMU dying at start (no boot). Missing QEMU or kernel: failure under CI=true, aborted
 * otherwise.
 */
class DemoGuestIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(300);

    private static void requireQemu() {
        if (Executables.find(LaunchOptions.DEFAULT_QEMU).isEmpty() || Executables.find("qemu-img").isEmpty()) {
            Requirements.missing("qemu-system-x86_64 / qemu-img not installed");
        }
    }

    private static GuestKernel kernelOrSkip() {
        requireQemu();
        try {
            return KernelLocator.forThisHost().locate(null);
        } catch (DemoException e) {
            Requirements.missing("no demo guest kernel: " + e.getMessage());
            return null;
        }
    }

    @Test
    void demoGuestUnderTcgThroughTheLauncherSeesDiskAndShareAndPowersOff() throws IOException {
        GuestKernel kernel = kernelOrSkip();
        TestRuntime.use();
        Launcher launcher = Launcher.create(LaunchOptions.defaults().withShutdownTimeout(Duration.ofSeconds(60)));
        List<String> console = Collections.synchronizedList(new ArrayList<>());
        Path work;
        DemoReport report;
        try (PreparedDemo prepared = DemoGuest.prepare(kernel, DemoOptions.defaults().withTimeout(TIMEOUT))) {
            PreparedDemo d = prepared.withAccelerator(Accelerator.TCG);
            work = d.workDir();
            DemoExpectations exp = d.expectations();
            Path runtimeDir;
            long pid;
            DemoRun.Outcome out;
            try (DemoRun run = DemoGuest.start(d, launcher, console::add)) {
                Guest g = run.guest();
                runtimeDir = g.runtimeDir().path();
                pid = g.pid();
                assertEquals(OrphanProtection.PDEATHSIG, g.orphanProtection());
                assertEquals("tcg", g.accelerator().accelerator());
                assertTrue(g.commandLine().contains("-no-reboot"), g.commandLine());
                MatchResult start = g.awaitConsole("KVMJ-DEMO: start kernel=(\\S+)", TIMEOUT);
                assertFalse(start.group(1).isBlank(), start.group());
                assertEquals("running", g.status(Duration.ofSeconds(30)), "QMP query-status while the guest runs");
                assertEquals(GuestState.RUNNING, g.state());

                out = run.await(TIMEOUT);
                assertFalse(out.timedOut(), "QEMU exited on its own");
                assertEquals(HowEnded.POWERED_OFF, out.ended().how(), out.ended().toString());
                assertEquals(0, out.ended().exitCode(), out.ended().toString());
                assertEquals("guest-shutdown", out.ended().shutdownReason(), out.ended().toString());

                // the launcher's console log, independent of the demo's console reader
                String log = g.console().text();
                assertTrue(Pattern.compile("KVMJ-DEMO: disk=PASS .*pattern=" + Pattern.quote(exp.pattern())
                    + " sha256=" + exp.patternSha256()).matcher(log).find(), "disk pattern read back:\n" + log);
                assertTrue(Pattern.compile("KVMJ-DEMO: share=PASS .*content=" + Pattern.quote(exp.shareContent()))
                    .matcher(log).find(), "9p content seen in the guest:\n" + log);
                assertTrue(log.contains("KVMJ-DEMO: done"), "console log kept the whole output");

                // the demo's raw console lines, independent of DemoEvaluator
                String all;
                synchronized (console) {
                    all = String.join("\n", console);
                }
                assertTrue(all.contains("KVMJ-DEMO: disk=PASS") && all.contains("pattern=" + exp.pattern())
                    && all.contains("sha256=" + exp.patternSha256()), "disk pattern read back in the guest:\n" + all);
                assertTrue(all.contains("KVMJ-DEMO: share=PASS") && all.contains("content=" + exp.shareContent()),
                    "9p content seen in the guest:\n" + all);
                assertEquals(exp.expectedReply(),
                    Files.readString(d.shareDir().resolve(DemoExpectations.REPLY_FILE)).strip(), "guest wrote over 9p");
                assertTrue(Files.readString(d.consoleLog()).contains("KVMJ-DEMO: done"), "console.log written");

                report = DemoGuest.evaluate(d, out);
            }
            assertFalse(Files.exists(runtimeDir), "runtime directory removed");
            assertFalse(Requirements.alive(pid), "QEMU gone");
        }
        assertTrue(report.passed(), report.summary());
        assertEquals("tcg", report.accelerator());
        assertEquals("TCG requested", report.acceleratorReason());
        assertTrue(report.cleanShutdown(), report.summary());
        assertEquals(0, report.exitCode());
        assertTrue(report.bootMillis() != null && report.bootMillis() > 0, report.summary());
        for (String name : List.of("modules", "disk", "disk-on-host", "share", "share-write", "init-done")) {
            assertTrue(report.check(name).orElseThrow().passed(), name + ": " + report.summary());
        }
        assertFalse(Files.exists(work), "work directory removed");
        assertTrue(ProcessHandle.current().descendants()
            .noneMatch(p -> p.info().command().orElse("").contains("qemu-system")), "no QEMU left");
    }

    @Test
    void qemuDyingAtStartReportsItsStderrAndArgv(@TempDir Path tmp) throws IOException {
        requireQemu();
        TestRuntime.use();
        Path notAKernel = Files.writeString(tmp.resolve("not a kernel"), "hello\n");
        GuestKernel bogus = new GuestKernel(notAKernel, Optional.empty(), GuestKernel.Source.OPTION,
            ModuleSet.builtInOnly("test"));
        try (PreparedDemo d = DemoGuest.prepare(bogus, DemoOptions.defaults().withWorkParent(tmp))) {
            DemoException e = assertThrows(DemoException.class,
                () -> DemoGuest.boot(d.withAccelerator(Accelerator.TCG), Duration.ofSeconds(60), null));
            assertTrue(e.getMessage().contains("QEMU exited with code"), e.getMessage());
            assertTrue(e.getMessage().contains("stderr: qemu"), e.getMessage());
            assertTrue(e.getMessage().contains("-kernel '" + notAKernel + "'"), "argv shell-quoted: " + e.getMessage());
        }
        assertTrue(ProcessHandle.current().descendants()
            .noneMatch(p -> p.info().command().orElse("").contains("qemu-system")), "no QEMU left");
    }
}
