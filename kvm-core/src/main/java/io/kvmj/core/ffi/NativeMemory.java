package io.kvmj.core.ffi;

import java.util.Objects;

/**
 * A block of native memory with bounds-checked peek/poke: either {@code calloc}'d ({@link #allocate}) or
 * an {@code mmap}'d region ({@link #mapAnonymous}, page-aligned, suitable for O_DIRECT buffers and guest RAM).
 * {@link #close()} frees or unmaps it once.
 */
public final class NativeMemory implements AutoCloseable {
    private final NativeAccess access;
    private final long address;
    private final long size;
    private final boolean mapped;
    private boolean closed;

    private NativeMemory(NativeAccess access, long address, long size, boolean mapped) {
        this.access = access;
        this.address = address;
        this.size = size;
        this.mapped = mapped;
    }

    /** Zeroed heap memory ({@code calloc}); throws {@link OutOfMemoryError} if none. */
    public static NativeMemory allocate(NativeAccess access, long size) {
        if (size <= 0) {
            throw new IllegalArgumentException("size must be > 0: " + size);
        }
        long a = access.calloc(1, size);
        if (a == 0) {
            throw new OutOfMemoryError("calloc(" + size + ") failed");
        }
        return new NativeMemory(access, a, size, false);
    }

    /** Zeroed, page-aligned anonymous private mapping of {@code size} bytes (rounded up to pages by the kernel). */
    public static NativeMemory mapAnonymous(NativeAccess access, long size) {
        long a = access.mmap(0, size, Posix.PROT_READ | Posix.PROT_WRITE,
                Posix.MAP_PRIVATE | Posix.MAP_ANONYMOUS | Posix.MAP_NORESERVE, -1, 0);
        if (a == Posix.MAP_FAILED) {
            throw access.failure("mmap(anonymous, " + size + ")");
        }
        return new NativeMemory(access, a, size, true);
    }

    /** Takes ownership of an existing mapping, unmapped on close. */
    static NativeMemory ofMapping(NativeAccess access, long address, long size) {
        return new NativeMemory(access, address, size, true);
    }

    /** The start address. */
    public long address() {
        checkOpen();
        return address;
    }

    /** The size in bytes. */
    public long size() {
        return size;
    }

    private long at(long offset, int width) {
        checkOpen();
        Objects.checkFromIndexSize(offset, width, size);
        return address + offset;
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("native memory at 0x" + Long.toHexString(address) + " is closed");
        }
    }

    public byte getByte(long offset) {
        return access.getByte(at(offset, 1));
    }

    public void putByte(long offset, byte v) {
        access.putByte(at(offset, 1), v);
    }

    public short getShort(long offset) {
        return access.getShort(at(offset, 2));
    }

    public void putShort(long offset, short v) {
        access.putShort(at(offset, 2), v);
    }

    public int getInt(long offset) {
        return access.getInt(at(offset, 4));
    }

    public void putInt(long offset, int v) {
        access.putInt(at(offset, 4), v);
    }

    public long getLong(long offset) {
        return access.getLong(at(offset, 8));
    }

    public void putLong(long offset, long v) {
        access.putLong(at(offset, 8), v);
    }

    /** Copies {@code len} bytes at {@code offset} into a new array. */
    public byte[] getBytes(long offset, int len) {
        byte[] b = new byte[len];
        access.getBytes(at(offset, len), b, 0, len);
        return b;
    }

    /** Copies all of {@code src} to {@code offset}. */
    public void putBytes(long offset, byte[] src) {
        access.putBytes(at(offset, src.length), src, 0, src.length);
    }

    /** Fills the whole block with {@code value}. */
    public void fill(byte value) {
        access.setMemory(at(0, 0), size, value);
    }

    /** Frees or unmaps once; later calls do nothing. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (mapped) {
            if (access.munmap(address, size) < 0) {
                throw access.failure("munmap(0x" + Long.toHexString(address) + ")");
            }
        } else {
            access.free(address);
        }
    }
}
