package io.kvmj.core.image.block;

import io.kvmj.core.ffi.Ioctls;
import io.kvmj.core.ffi.NativeAccess;
import io.kvmj.core.ffi.NativeFile;
import io.kvmj.core.ffi.NativeMemory;
import io.kvmj.core.ffi.Posix;
import java.nio.file.Path;

/**
 * Sizes a block device with the {@code BLKGETSIZE64} ioctl through kvm-core's FFI ({@link NativeAccess}):
 * opens the device read-only, lets the kernel write the size into an 8-byte buffer, closes it.
 */
public final class IoctlBlockSizer implements BlockSizer {
    private final NativeAccess access;

    /** Uses the FFI backend selected by {@code -Dkvmj.ffi}. */
    public IoctlBlockSizer() {
        this(NativeAccess.get());
    }

    public IoctlBlockSizer(NativeAccess access) {
        this.access = access;
    }

    @Override
    public long sizeOf(Path device) {
        try (NativeFile f = NativeFile.open(access, device.toString(), Posix.O_RDONLY | Posix.O_CLOEXEC, 0);
             NativeMemory buf = NativeMemory.allocate(access, 8)) {
            f.ioctl(Ioctls.BLKGETSIZE64, buf.address());
            return access.getLong(buf.address());
        }
    }
}
