package io.kvmj.core.ffi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class NativeAccessTest {

    static Stream<NativeAccess> backends() {
        return Stream.of(NativeAccess.jna(), NativeAccess.jnr());
    }

    @ParameterizedTest
    @MethodSource("backends")
    void openMissingFileGivesEnoentWithPathInMessage(NativeAccess a, @TempDir Path dir) {
        String missing = dir.resolve("nope").toString();
        NativeException e = assertThrows(NativeException.class,
                () -> NativeFile.open(a, missing, Posix.O_RDONLY, 0));
        assertEquals(Errno.ENOENT, e.errno());
        assertEquals("open(" + missing + ")", e.call());
        assertTrue(e.getMessage().contains("No such file or directory"), e.getMessage());
    }

    @ParameterizedTest
    @MethodSource("backends")
    void ioctlOnRegularFileIsEnotty(NativeAccess a, @TempDir Path dir) throws Exception {
        Path f = Files.writeString(dir.resolve("plain"), "x");
        try (NativeFile file = NativeFile.open(a, f.toString(), Posix.O_RDWR | Posix.O_CLOEXEC, 0)) {
            NativeException e = assertThrows(NativeException.class,
                    () -> file.ioctl(Ioctls.KVM_GET_API_VERSION, 0));
            assertEquals(Errno.ENOTTY, e.errno());
            assertEquals("ioctl(KVM_GET_API_VERSION)", e.call());
        }
    }

    @ParameterizedTest
    @MethodSource("backends")
    void pwritePreadRoundTripThroughAlignedMapping(NativeAccess a, @TempDir Path dir) throws Exception {
        Path f = dir.resolve("data");
        byte[] payload = "hello kvmj".getBytes(StandardCharsets.US_ASCII);
        try (NativeFile file = NativeFile.open(a, f.toString(), Posix.O_RDWR | Posix.O_CREAT | Posix.O_CLOEXEC, 0644);
                NativeMemory buf = NativeMemory.mapAnonymous(a, 4096)) {
            assertEquals(0, buf.address() % 4096, "mapping is page-aligned");
            buf.putBytes(0, payload);
            assertEquals(payload.length, file.pwrite(buf.address(), payload.length, 100));
            file.fdatasync();
            file.fsync();
            buf.fill((byte) 0);
            assertEquals(payload.length, file.pread(buf.address(), payload.length, 100));
            assertArrayEquals(payload, buf.getBytes(0, payload.length));
        }
        byte[] onDisk = Files.readAllBytes(f);
        assertEquals(100 + payload.length, onDisk.length);
        assertEquals("hello kvmj", new String(onDisk, 100, payload.length, StandardCharsets.US_ASCII));
    }

    @ParameterizedTest
    @MethodSource("backends")
    void peekPokeAllWidths(NativeAccess a) {
        try (NativeMemory m = NativeMemory.allocate(a, 32)) {
            assertEquals(0L, m.getLong(0), "calloc zeroes");
            m.putByte(0, (byte) 0xab);
            m.putShort(2, (short) 0x1234);
            m.putInt(4, 0xdeadbeef);
            m.putLong(8, 0x0102030405060708L);
            assertEquals((byte) 0xab, m.getByte(0));
            assertEquals((short) 0x1234, m.getShort(2));
            assertEquals(0xdeadbeef, m.getInt(4));
            assertEquals(0x0102030405060708L, m.getLong(8));
            assertEquals(0x08, m.getByte(8), "little-endian");
            assertEquals(0x01020304, a.getInt(m.address() + 12), "backend peek at raw address");
            assertThrows(IndexOutOfBoundsException.class, () -> m.getLong(28));
        }
    }

    @ParameterizedTest
    @MethodSource("backends")
    void closeIsIdempotentAndUseAfterCloseIsRejected(NativeAccess a, @TempDir Path dir) throws Exception {
        Path f = Files.writeString(dir.resolve("c"), "x");
        NativeFile file = NativeFile.open(a, f.toString(), Posix.O_RDONLY, 0);
        int fd = file.fd();
        assertTrue(fd >= 0);
        file.close();
        file.close();
        assertTrue(file.isClosed());
        assertThrows(IllegalStateException.class, file::fd);
        assertEquals(-1, a.close(fd), "fd really closed");
        assertEquals(Errno.EBADF, Errno.of(a.errno()));
    }

    @Test
    void propertySelectsBackend() {
        String old = System.getProperty(NativeAccess.PROPERTY);
        try {
            System.clearProperty(NativeAccess.PROPERTY);
            assertEquals("jnr", NativeAccess.get().name(), "jnr-ffi is the default backend");
            System.setProperty(NativeAccess.PROPERTY, "jnr");
            assertEquals("jnr", NativeAccess.get().name());
            System.setProperty(NativeAccess.PROPERTY, "jna");
            assertEquals("jna", NativeAccess.get().name());
            System.setProperty(NativeAccess.PROPERTY, "bogus");
            assertThrows(IllegalArgumentException.class, NativeAccess::get);
        } finally {
            if (old == null) {
                System.clearProperty(NativeAccess.PROPERTY);
            } else {
                System.setProperty(NativeAccess.PROPERTY, old);
            }
        }
        assertNotEquals(NativeAccess.jna(), NativeAccess.jnr());
    }

    @Test
    void ioctlNumbersMatchLinuxHeaders() {
        // values printed by a C program including <linux/kvm.h> and <linux/fs.h> on x86-64
        assertEquals(0xae00L, Ioctls.KVM_GET_API_VERSION);
        assertEquals(0xae01L, Ioctls.KVM_CREATE_VM);
        assertEquals(0xc004ae02L, Ioctls.KVM_GET_MSR_INDEX_LIST);
        assertEquals(0xae03L, Ioctls.KVM_CHECK_EXTENSION);
        assertEquals(0xae04L, Ioctls.KVM_GET_VCPU_MMAP_SIZE);
        assertEquals(0xc008ae05L, Ioctls.KVM_GET_SUPPORTED_CPUID);
        assertEquals(0xae41L, Ioctls.KVM_CREATE_VCPU);
        assertEquals(0x4020ae46L, Ioctls.KVM_SET_USER_MEMORY_REGION);
        assertEquals(0xae80L, Ioctls.KVM_RUN);
        assertEquals(0x8090ae81L, Ioctls.KVM_GET_REGS);
        assertEquals(0x4090ae82L, Ioctls.KVM_SET_REGS);
        assertEquals(0x8138ae83L, Ioctls.KVM_GET_SREGS);
        assertEquals(0x4138ae84L, Ioctls.KVM_SET_SREGS);
        assertEquals(0x80081272L, Ioctls.BLKGETSIZE64);
        assertEquals("KVM_RUN", Ioctls.name(0xae80L));
        assertEquals("0x1234", Ioctls.name(0x1234L));
    }
}
