package io.kvmj.launcher;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvmj.launcher.process.RuntimeDir;
import io.kvmj.launcher.testutil.Requirements;
import io.kvmj.launcher.testutil.TestRuntime;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every launch failure is a LaunchException carrying QEMU's own message, the argv and the exit code. */
class LaunchFailureIT {
    static Launcher launcher;

    @TempDir
    Path tmp;

    @BeforeAll
    static void setUp() {
        TestRuntime.use();
        launcher = Launcher.create(LaunchOptions.defaults().withQemuBinary(Requirements.qemu()));
    }

    private LaunchException fails(String name, List<String> args) {
        LaunchException e = assertThrows(LaunchException.class, () -> launcher.launchArgv(name, args));
        assertTrue(e.exitCode().isPresent() && e.exitCode().getAsInt() != 0, e.getMessage());
        assertTrue(e.commandLine().contains("qemu-system-x86_64"), e.commandLine());
        assertFalse(Files.exists(RuntimeDir.base().resolve(name)), "runtime directory must be removed");
        return e;
    }

    @Test
    void missingDiskImage() {
        Path missing = tmp.resolve("no-such-disk.img");
        LaunchException e = fails("it-nodisk", List.of("-machine", "none", "-nodefaults", "-display", "none",
                "-blockdev", "driver=file,node-name=d0,filename=" + missing));
        assertTrue(e.stderrTail().contains("No such file or directory"), e.getMessage());
        assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
    }

    @Test
    void badKernel() throws Exception {
        Path kernel = tmp.resolve("not-a-kernel");
        Files.writeString(kernel, "this is not a linux kernel\n");
        LaunchException e = fails("it-badkernel", List.of("-machine", "q35", "-accel", "tcg", "-m", "64",
                "-nodefaults", "-display", "none", "-kernel", kernel.toString()));
        assertTrue(e.stderrTail().contains("invalid kernel header"), e.getMessage());
    }

    @Test
    void vncPortInUse() throws Exception {
        try (ServerSocket busy = new ServerSocket()) {
            int display = -1;
            for (int d = 77; d < 120 && display < 0; d++) {
                try {
                    busy.bind(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), 5900 + d));
                    display = d;
                } catch (java.io.IOException taken) {
                    // try the next display
                }
            }
            assertTrue(display > 0, "no free port to occupy");
            LaunchException e = fails("it-vnc", List.of("-machine", "none", "-nodefaults", "-display", "none",
                    "-vnc", "127.0.0.1:" + display));
            assertTrue(e.stderrTail().contains("Address already in use"), e.getMessage());
        }
    }
}
