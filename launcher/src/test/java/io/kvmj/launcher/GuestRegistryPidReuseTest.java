package io.kvmj.launcher;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvmj.launcher.process.RuntimeDir;
import io.kvmj.launcher.testutil.RuntimeDirProperty;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Guest A's QEMU is dead and its pid now belongs to another process that looks like QEMU (named qemu-system-x86_64,
 * running for guest B): A must count as not running, and {@code stop A --force} must not signal B's process.
 */
class GuestRegistryPidReuseTest {
    @TempDir
    Path tmp;

    @RegisterExtension
    final RuntimeDirProperty runtime = RuntimeDirProperty.at(() -> tmp.resolve("rt"));

    @Test
    void reusedPidOfAnotherGuestsQemuIsNeverSignalled() throws Exception {
        RuntimeDir a = RuntimeDir.claim("guest-a");
        RuntimeDir b = RuntimeDir.claim("guest-b");
        // "B's QEMU": a shell renamed qemu-system-x86_64 whose command line names B's runtime directory
        Path fakeQemu = tmp.resolve("qemu-system-x86_64");
        Files.copy(Path.of("/bin/sh"), fakeQemu, StandardCopyOption.COPY_ATTRIBUTES);
        Process other = new ProcessBuilder(fakeQemu.toString(), "-c", "sleep 300; :", b.pidFile().toString()).start();
        try {
            Files.writeString(b.pidFile(), other.pid() + "\n");
            Files.writeString(a.pidFile(), other.pid() + "\n"); // A's QEMU died, its pid was reused
            assertTrue(b.isLive(), "B's own QEMU is recognised");
            assertFalse(a.isLive(), "a process that does not name A's runtime directory is not A's QEMU");
            assertThrows(GuestException.class, () -> GuestRegistry.stop("guest-a", Duration.ofSeconds(1), true));
            assertFalse(other.waitFor(1, TimeUnit.SECONDS), "stop of A signalled B's QEMU");
            assertTrue(other.isAlive());
        } finally {
            other.destroyForcibly().waitFor();
        }
    }
}
