package io.kvmj.launcher.demo;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Small readers for the two binary headers the demo needs: the x86 Linux boot protocol header of a bzImage
 * (to learn the kernel release of a user-supplied kernel) and the ELF header of busybox (to check it is a static
 * x86-64 executable that can run as the guest's /init userland).
 */
public final class BinaryFormats {
    private static final int EM_X86_64 = 62;
    private static final int PT_INTERP = 3;

    private BinaryFormats() {}

    /**
     * The kernel release ("6.1.0-56-amd64") stored in a bzImage's setup header, if the file is a bzImage.
     * The header field {@code kernel_version} at 0x20E points (relative to 0x200) to a NUL-terminated string.
     */
    public static Optional<String> bzImageRelease(Path kernel) throws IOException {
        byte[] head = readHead(kernel, 64 * 1024);
        if (head.length < 0x210) {
            return Optional.empty();
        }
        ByteBuffer b = ByteBuffer.wrap(head).order(ByteOrder.LITTLE_ENDIAN);
        if (b.getInt(0x202) != 0x53726448) { // "HdrS"
            return Optional.empty();
        }
        int ptr = Short.toUnsignedInt(b.getShort(0x20E));
        int at = ptr + 0x200;
        if (ptr == 0 || at >= head.length) {
            return Optional.empty();
        }
        int end = at;
        while (end < head.length && head[end] != 0) {
            end++;
        }
        String full = new String(head, at, end - at, StandardCharsets.US_ASCII).trim();
        if (full.isEmpty()) {
            return Optional.empty();
        }
        int sp = full.indexOf(' ');
        return Optional.of(sp > 0 ? full.substring(0, sp) : full);
    }

    /** True when {@code file} is an x86-64 ELF executable without a program interpreter (statically linked). */
    public static boolean isStaticX86_64Elf(Path file) throws IOException {
        byte[] h = readHead(file, 64 * 1024);
        if (h.length < 64 || h[0] != 0x7f || h[1] != 'E' || h[2] != 'L' || h[3] != 'F' || h[4] != 2 || h[5] != 1) {
            return false;
        }
        ByteBuffer b = ByteBuffer.wrap(h).order(ByteOrder.LITTLE_ENDIAN);
        if (Short.toUnsignedInt(b.getShort(0x12)) != EM_X86_64) {
            return false;
        }
        long phoff = b.getLong(0x20);
        int phentsize = Short.toUnsignedInt(b.getShort(0x36));
        int phnum = Short.toUnsignedInt(b.getShort(0x38));
        if (phnum == 0 || phentsize < 4) {
            return false;
        }
        for (int i = 0; i < phnum; i++) {
            long off = phoff + (long) i * phentsize;
            if (off + 4 > h.length) {
                return false;
            }
            if (b.getInt((int) off) == PT_INTERP) {
                return false;
            }
        }
        return true;
    }

    private static byte[] readHead(Path file, int max) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return in.readNBytes(max);
        }
    }
}
