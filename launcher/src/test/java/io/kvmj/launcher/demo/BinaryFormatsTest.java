package io.kvmj.launcher.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BinaryFormatsTest {
    @TempDir
    Path tmp;

    @Test
    void readsTheReleaseFromABzImageHeader() throws IOException {
        Path k = TestKernels.fakeBzImage(tmp.resolve("vmlinuz"), "6.1.0-56-amd64 (debian-kernel@lists.debian.org) #1 SMP");
        assertEquals(Optional.of("6.1.0-56-amd64"), BinaryFormats.bzImageRelease(k));
    }

    @Test
    void aFileWithoutTheHeaderHasNoRelease() throws IOException {
        Path f = Files.writeString(tmp.resolve("notakernel"), "hello");
        assertEquals(Optional.empty(), BinaryFormats.bzImageRelease(f));
    }

    @Test
    void recognisesStaticX86_64Elf() throws IOException {
        assertTrue(BinaryFormats.isStaticX86_64Elf(Files.write(tmp.resolve("s"), TestKernels.elf(62, 1))));
        assertFalse(BinaryFormats.isStaticX86_64Elf(Files.write(tmp.resolve("d"), TestKernels.elf(62, 3))),
            "PT_INTERP means dynamically linked");
        assertFalse(BinaryFormats.isStaticX86_64Elf(Files.write(tmp.resolve("arm"), TestKernels.elf(183, 1))),
            "aarch64 binary");
        assertFalse(BinaryFormats.isStaticX86_64Elf(Files.writeString(tmp.resolve("t"), "#!/bin/sh\n")));
    }
}
