package io.kvmj.launcher.demo;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Synthetic binaries for unit tests. */
final class TestKernels {
    private TestKernels() {}

    /** A file with just enough of the x86 boot header for {@link BinaryFormats#bzImageRelease}. */
    static Path fakeBzImage(Path file, String versionString) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(0x600).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0x202, 0x53726448);
        b.putShort(0x20E, (short) 0x200);
        byte[] v = versionString.getBytes(StandardCharsets.US_ASCII);
        b.position(0x400);
        b.put(v);
        Files.createDirectories(file.getParent());
        return Files.write(file, b.array());
    }

    /** A minimal ELF64 x86-64 header with one program header of the given type. */
    static byte[] elf(int machine, int phType) {
        ByteBuffer b = ByteBuffer.allocate(64 + 56).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {0x7f, 'E', 'L', 'F', 2, 1, 1});
        b.putShort(0x10, (short) 2);
        b.putShort(0x12, (short) machine);
        b.putLong(0x20, 64);
        b.putShort(0x36, (short) 56);
        b.putShort(0x38, (short) 1);
        b.putInt(64, phType);
        return b.array();
    }
}
