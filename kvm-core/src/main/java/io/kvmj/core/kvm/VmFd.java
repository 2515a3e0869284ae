package io.kvmj.core.kvm;

import io.kvmj.core.ffi.Ioctls;
import io.kvmj.core.ffi.NativeAccess;
import io.kvmj.core.ffi.NativeFile;
import io.kvmj.core.ffi.NativeMemory;

/**
 * A VM file descriptor from {@code KVM_CREATE_VM}. Closing it destroys the VM once its vCPUs are closed. It owns its
 * fd and the vCPU mmap size (read when the VM was created), so it does not need the {@link Kvm} it came from, which
 * may be closed first. Calls after {@link #close()} throw {@link io.kvmj.core.ffi.ClosedFileException} naming the
 * ioctl.
 */
public final class VmFd implements AutoCloseable {
    private final NativeFile file;
    private final int vcpuMmapSize;

    VmFd(NativeFile file, int vcpuMmapSize) {
        this.file = file;
        this.vcpuMmapSize = vcpuMmapSize;
    }

    /** The backend this VM calls through. */
    public NativeAccess access() {
        return file.access();
    }

    /** {@code KVM_GET_VCPU_MMAP_SIZE} as read when this VM was created. */
    public int vcpuMmapSize() {
        return vcpuMmapSize;
    }

    /** Whether {@link #close()} has been called. */
    public boolean isClosed() {
        return file.isClosed();
    }

    /** The raw fd. */
    public int fd() {
        return file.fd();
    }

    /** {@code KVM_CHECK_EXTENSION} on the VM fd (per-VM answers, needs {@link Capability#CHECK_EXTENSION_VM}). */
    public int checkExtension(Capability cap) {
        return (int) file.ioctl(Ioctls.KVM_CHECK_EXTENSION, cap.number());
    }

    /**
     * {@code KVM_SET_USER_MEMORY_REGION}: maps {@code size} bytes of host memory at {@code userspaceAddr} to guest
     * physical {@code guestPhysAddr} in {@code slot}. Size 0 deletes the slot.
     */
    public void setUserMemoryRegion(int slot, int flags, long guestPhysAddr, long size, long userspaceAddr) {
        NativeAccess a = file.access();
        try (NativeMemory region = NativeMemory.allocate(a, Ioctls.SIZEOF_KVM_USERSPACE_MEMORY_REGION)) {
            region.putInt(0, slot);
            region.putInt(4, flags);
            region.putLong(8, guestPhysAddr);
            region.putLong(16, size);
            region.putLong(24, userspaceAddr);
            file.ioctl(Ioctls.KVM_SET_USER_MEMORY_REGION, region.address());
        }
    }

    /** {@code KVM_SET_TSS_ADDR} (needed on Intel hosts without unrestricted guest for real mode). */
    public void setTssAddr(long addr) {
        file.ioctl(Ioctls.KVM_SET_TSS_ADDR, addr);
    }

    /** {@code KVM_CREATE_VCPU} and maps its {@code kvm_run} area. */
    public VcpuFd createVcpu(int id) {
        int vcpufd = (int) file.ioctl(Ioctls.KVM_CREATE_VCPU, id);
        NativeFile vf = NativeFile.adopt(file.access(), "kvm-vcpu" + id, vcpufd);
        try {
            return new VcpuFd(vf, vcpuMmapSize);
        } catch (RuntimeException e) {
            vf.close();
            throw e;
        }
    }

    /** Closes the VM fd (idempotent). */
    @Override
    public void close() {
        file.close();
    }
}
