package io.kvmj.launcher.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvmj.core.model.Accelerator;
import io.kvmj.launcher.Guest;
import io.kvmj.launcher.HowEnded;
import io.kvmj.launcher.LaunchOptions;
import io.kvmj.launcher.Launcher;
import io.kvmj.launcher.ShutdownResult;
import io.kvmj.launcher.process.Executables;
import io.kvmj.launcher.testutil.Requirements;
import io.kvmj.launcher.testutil.TestRuntime;
import java.time.Duration;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The first rung of {@link Guest#shutdown}, ACPI {@code system_powerdown}, on the real demo guest (one TCG boot):
 * /init loads the ACPI button and evdev modules, starts busybox acpid and then idles; the shutdown must end with
 * the guest powering itself off through acpid's handler (its console line, QEMU's SHUTDOWN reason
 * {@code guest-shutdown}, exit 0), not with {@code quit} or a signal.
 */
class AcpiPowerdownIT {
    private static final Duration BOOT = Duration.ofSeconds(300);
    /** Bound of the ACPI step only; generous because TCG is slow under load (not a timing assertion). */
    private static final Duration ACPI = Duration.ofSeconds(60);

    @Test
    void shutdownPowersTheDemoGuestOffThroughTheAcpiPowerButton() {
        if (Executables.find(LaunchOptions.DEFAULT_QEMU).isEmpty() || Executables.find("qemu-img").isEmpty()) {
            Requirements.missing("qemu-system-x86_64 / qemu-img not installed");
        }
        GuestKernel kernel = null;
        try {
            kernel = KernelLocator.forThisHost().locate(null);
        } catch (DemoException e) {
            Requirements.missing("no demo guest kernel: " + e.getMessage());
        }
        TestRuntime.use();
        Launcher launcher = Launcher.create(LaunchOptions.defaults());
        long pid;
        try (PreparedDemo prepared = DemoGuest.prepare(kernel, DemoOptions.defaults())) {
            PreparedDemo d = prepared.withAccelerator(Accelerator.TCG);
            Guest g = launcher.launch(d.guestSpecAwaitingPowerButton(DemoGuest.uniqueName()));
            pid = g.pid();
            try {
                g.awaitConsole("KVMJ-DEMO: waiting for the ACPI power button", BOOT);
                String before = g.console().text();
                assertTrue(before.contains("KVMJ-DEMO: acpi acpid=started"), "acpid running in the guest:\n" + before);
                Matcher m = Pattern.compile("KVMJ-DEMO: modules=PASS loaded=(\\S+)").matcher(before);
                assertTrue(m.find(), "modules loaded:\n" + before);
                String loaded = m.group(1);
                assertTrue(Arrays.asList(loaded.split(",")).containsAll(ModuleResolver.ACPI_BUTTON_MODULES),
                    "button and evdev loaded: " + loaded);
                assertTrue(g.isAlive(), "the guest idles instead of powering off by itself");

                ShutdownResult r = g.shutdown(ACPI);

                String log = g.console().text();
                assertEquals(HowEnded.POWERED_OFF, r.how(), r + "\n" + log);
                assertEquals("guest-shutdown", r.shutdownReason(), r.toString());
                assertEquals(0, r.exitCode(), r.toString());
                assertTrue(log.contains("KVMJ-DEMO: acpi power button: powering off"),
                    "acpid ran the power-button handler:\n" + log);
            } finally {
                g.close();
            }
        }
        assertFalse(Requirements.alive(pid), "QEMU gone");
    }
}
