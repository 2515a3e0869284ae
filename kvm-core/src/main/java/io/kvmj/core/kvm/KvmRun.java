package io.kvmj.core.kvm;

import io.kvmj.core.ffi.NativeMemory;

/** A view of the mmap'd {@code struct kvm_run} (x86-64 offsets from {@code linux/kvm.h}). */
public final class KvmRun {
    static final int EXIT_REASON = 8;
    static final int IO_DIRECTION = 32;
    static final int IO_SIZE = 33;
    static final int IO_PORT = 34;
    static final int IO_COUNT = 36;
    static final int IO_DATA_OFFSET = 40;
    static final int FAIL_ENTRY_REASON = 32;
    static final int INTERNAL_SUBERROR = 32;

    private final NativeMemory mem;

    KvmRun(NativeMemory mem) {
        this.mem = mem;
    }

    /** {@code exit_reason}; see {@link KvmExit}. */
    public int exitReason() {
        return mem.getInt(EXIT_REASON);
    }

    /** {@code io.direction}: {@link KvmExit#IO_IN} or {@link KvmExit#IO_OUT}. */
    public int ioDirection() {
        return mem.getByte(IO_DIRECTION) & 0xff;
    }

    /** {@code io.size}: bytes per access (1, 2 or 4). */
    public int ioSize() {
        return mem.getByte(IO_SIZE) & 0xff;
    }

    /** {@code io.port}. */
    public int ioPort() {
        return mem.getShort(IO_PORT) & 0xffff;
    }

    /** {@code io.count}: number of accesses (string I/O). */
    public int ioCount() {
        return mem.getInt(IO_COUNT);
    }

    /** {@code io.data_offset}: where in this mapping the data lives. */
    public long ioDataOffset() {
        return mem.getLong(IO_DATA_OFFSET);
    }

    /** The I/O data of the current {@code KVM_EXIT_IO} ({@code size * count} bytes). */
    public byte[] ioData() {
        return mem.getBytes(ioDataOffset(), ioSize() * ioCount());
    }

    /** {@code fail_entry.hardware_entry_failure_reason} after {@link KvmExit#FAIL_ENTRY}. */
    public long failEntryReason() {
        return mem.getLong(FAIL_ENTRY_REASON);
    }

    /** {@code internal.suberror} after {@link KvmExit#INTERNAL_ERROR}. */
    public int internalSuberror() {
        return mem.getInt(INTERNAL_SUBERROR);
    }
}
