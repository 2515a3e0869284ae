package io.kvmj.launcher.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Boots the real demo guest under TCG (one boot) and checks, from the raw console and the files the guest left,
 * that the disk pattern and the 9p content the host chose at random were seen inside the guest.
 * Missing QEMU or kernel: failure under CI=true, aborted (skipped) otherwise.
 */
class DemoGuestIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(300);

    static void require(boolean ok, String what) {
        if (ok) {
            return;
        }
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            fail(what + " (CI=true: missing prerequisites fail the build; run scripts/bootstrap --tests)");
        }
        Assumptions.abort(what);
    }

    static boolean onPath(String cmd) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, cmd))) {
                return true;
            }
        }
        return false;
    }

    @Test
    void bootsUnderTcgAndTheGuestSeesTheDiskPatternAndTheShareContent() throws IOException {
        require(onPath(DemoQemuArgs.QEMU) && onPath("qemu-img"), "qemu-system-x86_64 / qemu-img not installed");
        GuestKernel kernel = null;
        try {
            kernel = KernelLocator.forThisHost().locate(null);
        } catch (DemoException e) {
            require(false, "no demo guest kernel: " + e.getMessage());
        }
        List<String> console = Collections.synchronizedList(new ArrayList<>());
        Path work;
        DemoReport report;
        DemoExpectations exp;
        try (PreparedDemo prepared = DemoGuest.prepare(kernel, DemoOptions.defaults().withTimeout(TIMEOUT))) {
            PreparedDemo d = prepared.withAccelerator(new AcceleratorChoice(false, "tcg", "forced by DemoGuestIT"));
            work = d.workDir();
            exp = d.expectations();
            report = DemoGuest.boot(d, TIMEOUT, console::add);

            // raw console, independent of DemoEvaluator
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
        }
        assertTrue(report.passed(), report.summary());
        assertEquals("tcg", report.accelerator());
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
    void qemuDyingAtStartReportsItsStderrAndArgv(@org.junit.jupiter.api.io.TempDir Path tmp) throws IOException {
        require(onPath(DemoQemuArgs.QEMU) && onPath("qemu-img"), "qemu-system-x86_64 / qemu-img not installed");
        Path notAKernel = Files.writeString(tmp.resolve("not a kernel"), "hello\n");
        GuestKernel bogus = new GuestKernel(notAKernel, java.util.Optional.empty(), GuestKernel.Source.OPTION,
            ModuleSet.builtInOnly("test"));
        try (PreparedDemo d = DemoGuest.prepare(bogus, DemoOptions.defaults().withWorkParent(tmp))) {
            DemoException e = org.junit.jupiter.api.Assertions.assertThrows(DemoException.class,
                () -> DemoGuest.boot(d, Duration.ofSeconds(60), null));
            assertTrue(e.getMessage().contains("QEMU exited with code"), e.getMessage());
            assertTrue(e.getMessage().contains("stderr: qemu"), e.getMessage());
            assertTrue(e.getMessage().contains("-kernel '" + notAKernel + "'"), "argv shell-quoted: " + e.getMessage());
        }
        assertTrue(ProcessHandle.current().descendants()
            .noneMatch(p -> p.info().command().orElse("").contains("qemu-system")), "no QEMU left");
    }
}
