package io.kvmj.launcher.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvmj.launcher.LaunchOptions;
import io.kvmj.launcher.process.Executables;
import io.kvmj.launcher.testutil.Requirements;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The QEMU line of {@code kvmj --version}: QEMU's own answer, remembered only for the very same binary. */
class QemuVersionTest {
    @TempDir
    Path tmp;

    @Test
    void theRealQemusAnswerIsPrintedAndRemembered() throws Exception {
        Requirements.qemu();
        Path qemu = Executables.find(LaunchOptions.DEFAULT_QEMU).orElseThrow();
        Process p = new ProcessBuilder(qemu.toString(), "--version").redirectErrorStream(true).start();
        String first = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().findFirst()
                .orElseThrow();
        p.waitFor();
        Path cache = tmp.resolve("cache");
        assertEquals(first + " (" + qemu + ")", QemuVersion.describe(qemu, cache));
        try (var entries = Files.list(cache)) {
            assertEquals(1, entries.count(), "one entry for the binary");
        }
        assertEquals(first + " (" + qemu + ")", QemuVersion.describe(qemu, cache), "read back from the cache");
    }

    @Test
    void aChangedBinaryIsAskedAgainAndAnOddAnswerIsNotKept() throws Exception {
        Path bin = tmp.resolve("qemu-system-x86_64");
        Path cache = tmp.resolve("cache");
        script(bin, "QEMU emulator version 1.0.0");
        assertEquals("QEMU emulator version 1.0.0 (" + bin + ")", QemuVersion.describe(bin, cache));
        script(bin, "QEMU emulator version 2.0.0");
        assertEquals("QEMU emulator version 2.0.0 (" + bin + ")", QemuVersion.describe(bin, cache),
                "a rewritten binary (new size, times) is asked again");
        script(bin, "something else");
        assertEquals("something else (" + bin + ")", QemuVersion.describe(bin, cache));
        try (var entries = Files.list(cache)) {
            String kept = Files.readString(entries.findFirst().orElseThrow());
            assertTrue(kept.contains("2.0.0") && !kept.contains("something else"),
                    "an answer that is not QEMU's version line is not remembered: " + kept);
        }
    }

    private static void script(Path bin, String line) throws Exception {
        Files.deleteIfExists(bin); // a new file, as a package upgrade makes
        Files.writeString(bin, "#!/bin/sh\necho '" + line + "'\necho 'Copyright (c) 2003-2022'\n");
        Files.setPosixFilePermissions(bin, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
}
