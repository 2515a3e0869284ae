package io.kvmj.launcher.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvmj.launcher.Guest;
import io.kvmj.launcher.HowEnded;
import io.kvmj.launcher.LaunchOptions;
import io.kvmj.launcher.Launcher;
import io.kvmj.launcher.ShutdownResult;
import io.kvmj.launcher.testutil.Requirements;
import io.kvmj.launcher.testutil.TestRuntime;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two-way serial console through the launcher API on a real (tiny) guest: a busybox /init that prints a line,
 * reads one from the console and echoes it back, then powers off. One short boot under TCG.
 */
class ConsoleInteractionIT {
    private static final String INIT = """
            #!/bin/sh
            echo "KVMJ-ECHO: ready"
            read line
            echo "KVMJ-ECHO: got=[$line]"
            /bin/busybox poweroff -f
            """;

    @TempDir
    Path tmp;

    @Test
    void sendReachesTheGuestAndTheStreamSeesTheReply() throws Exception {
        Path qemu = Requirements.qemu();
        GuestKernel kernel = Requirements.guestKernel();
        BusyboxLocator.Busybox busybox = BusyboxLocator.locate(KvmjCache.defaultRoot(System.getenv()));
        Path initrd = tmp.resolve("initrd.img");
        Initramfs.write(initrd, busybox.path(), ModuleSet.builtInOnly("console test"), INIT);
        TestRuntime.use();
        Launcher launcher = Launcher.create(LaunchOptions.defaults().withQemuBinary(qemu));
        Guest g = launcher.launchArgv("it-echo", List.of("-machine", "pc", "-accel", "tcg", "-m", "256M",
                "-nodefaults", "-no-user-config", "-no-reboot", "-display", "none",
                "-kernel", kernel.kernel().toString(), "-initrd", initrd.toString(),
                "-append", "console=ttyS0 panic=-1 quiet loglevel=0 rdinit=/init"));
        try {
            CompletableFuture<String> streamed = CompletableFuture.supplyAsync(() -> {
                try (InputStream in = g.consoleStream()) {
                    return new String(in.readAllBytes(), StandardCharsets.UTF_8); // ends when QEMU exits
                } catch (java.io.IOException e) {
                    return "ERROR " + e;
                }
            });
            g.awaitConsole("KVMJ-ECHO: ready", Duration.ofSeconds(240));
            g.send("hello kvmj\n");
            assertEquals("hello kvmj", g.awaitConsole("KVMJ-ECHO: got=\\[([^\\]]*)\\]", Duration.ofSeconds(120)).group(1));
            ShutdownResult r = g.awaitExit(Duration.ofSeconds(120)).orElseThrow();
            assertEquals(HowEnded.POWERED_OFF, r.how(), r.toString());
            String all = streamed.get(30, TimeUnit.SECONDS);
            assertTrue(all.contains("KVMJ-ECHO: ready") && all.contains("got=[hello kvmj]"), all);
        } finally {
            g.close();
        }
        assertFalse(Files.exists(g.runtimeDir().path()));
        assertFalse(Requirements.alive(g.pid()));
    }
}
