package io.kvmj.core.kvm;

import io.kvmj.core.ffi.ClosedFileException;
import io.kvmj.core.ffi.Errno;
import io.kvmj.core.ffi.Ioctls;
import io.kvmj.core.ffi.NativeAccess;
import io.kvmj.core.ffi.NativeException;
import io.kvmj.core.ffi.NativeFile;
import io.kvmj.core.ffi.NativeMemory;
import io.kvmj.core.ffi.Posix;

/**
 * The KVM system file descriptor ({@code /dev/kvm}, opened {@code O_RDWR|O_CLOEXEC}). Each method is one ioctl
 * on the held fd; failures throw {@link NativeException} naming the ioctl and errno, and any call after
 * {@link #close()} throws {@link ClosedFileException} naming the ioctl without touching the old fd number.
 * As in rust-vmm's kvm-ioctls, a {@link VmFd} does not depend on this object: it gets the vCPU mmap size at creation
 * and stays usable after this is closed.
 *
 * <pre>{@code
 * VmFd vm;
 * try (Kvm kvm = Kvm.open()) {
 *     vm = kvm.createVm();
 * }
 * try (vm; VcpuFd vcpu = vm.createVcpu(0)) { ... }   // fine: the VM holds its own fd
 * }</pre>
 */
public final class Kvm implements AutoCloseable {
    /** The default device path. */
    public static final String DEFAULT_PATH = "/dev/kvm";
    /** The only KVM API version ever released. */
    public static final int API_VERSION = 12;

    private final NativeFile file;
    private final NativeAccess access;

    private Kvm(NativeFile file) {
        this.file = file;
        this.access = file.access();
    }

    /** Opens {@code /dev/kvm} with the backend from {@link NativeAccess#get()}. */
    public static Kvm open() {
        return open(NativeAccess.get(), DEFAULT_PATH);
    }

    /** Opens {@code /dev/kvm} with the given backend. */
    public static Kvm open(NativeAccess access) {
        return open(access, DEFAULT_PATH);
    }

    /** Opens a KVM device at {@code path} (tests, containers with another mount point). */
    public static Kvm open(NativeAccess access, String path) {
        return new Kvm(NativeFile.open(access, path, Posix.O_RDWR | Posix.O_CLOEXEC, 0));
    }

    /** The backend in use. */
    public NativeAccess access() {
        return access;
    }

    /** The raw fd (valid until {@link #close()}; after it, {@link ClosedFileException}). */
    public int fd() {
        return file.fd();
    }

    /** {@code KVM_GET_API_VERSION}; 12 on every released kernel. */
    public int apiVersion() {
        return (int) file.ioctl(Ioctls.KVM_GET_API_VERSION, 0);
    }

    /**
     * {@code KVM_CHECK_EXTENSION}: 0 when absent, 1 (or a count/size/bitmask for {@link Capability#numeric()})
     * when present. One ioctl on the held fd.
     */
    public int checkExtension(Capability cap) {
        long r = access.ioctl(file.fdForIoctl(Ioctls.KVM_CHECK_EXTENSION), Ioctls.KVM_CHECK_EXTENSION, cap.number());
        if (r < 0) {
            throw access.failure("ioctl(KVM_CHECK_EXTENSION, " + cap.cName() + ")");
        }
        return (int) r;
    }

    /** {@code KVM_CHECK_EXTENSION} for a raw capability number. */
    public int checkExtension(int capNumber) {
        return (int) file.ioctl(Ioctls.KVM_CHECK_EXTENSION, capNumber);
    }

    /** {@code KVM_GET_VCPU_MMAP_SIZE}: bytes to mmap from a vCPU fd ({@code struct kvm_run} and more). */
    public int vcpuMmapSize() {
        return (int) file.ioctl(Ioctls.KVM_GET_VCPU_MMAP_SIZE, 0);
    }

    /** {@code KVM_CREATE_VM} with the default machine type 0. */
    public VmFd createVm() {
        return createVm(0);
    }

    /** {@code KVM_CREATE_VM} with a machine type. */
    public VmFd createVm(int type) {
        int mmapSize = vcpuMmapSize();
        int vmfd = (int) file.ioctl(Ioctls.KVM_CREATE_VM, type);
        return new VmFd(NativeFile.adopt(access, "kvm-vm", vmfd), mmapSize);
    }

    /** {@code KVM_GET_SUPPORTED_CPUID}, growing the buffer on {@code E2BIG}. */
    public CpuidEntries supportedCpuid() {
        return readCpuid(Ioctls.KVM_GET_SUPPORTED_CPUID);
    }

    private CpuidEntries readCpuid(long request) {
        int nent = 128;
        while (true) {
            long size = Ioctls.SIZEOF_KVM_CPUID2 + (long) nent * Ioctls.SIZEOF_KVM_CPUID_ENTRY2;
            try (NativeMemory buf = NativeMemory.allocate(access, size)) {
                buf.putInt(0, nent);
                long r = access.ioctl(file.fdForIoctl(request), request, buf.address());
                if (r < 0) {
                    NativeException e = access.failure("ioctl(" + Ioctls.name(request) + ")");
                    if (e.errno() == Errno.E2BIG && nent < 4096) {
                        nent *= 2;
                        continue;
                    }
                    throw e;
                }
                return CpuidEntries.decode(buf, buf.getInt(0));
            }
        }
    }

    /** Number of MSRs in {@code KVM_GET_MSR_INDEX_LIST} (asks with nmsrs = 0, reads the count on E2BIG). */
    public int msrIndexListCount() {
        try (NativeMemory buf = NativeMemory.allocate(access, Ioctls.SIZEOF_KVM_MSR_LIST)) {
            buf.putInt(0, 0);
            long r = access.ioctl(file.fdForIoctl(Ioctls.KVM_GET_MSR_INDEX_LIST), Ioctls.KVM_GET_MSR_INDEX_LIST,
                    buf.address());
            if (r < 0) {
                NativeException e = access.failure("ioctl(KVM_GET_MSR_INDEX_LIST)");
                if (e.errno() != Errno.E2BIG) {
                    throw e;
                }
            }
            return buf.getInt(0);
        }
    }

    /** Whether {@link #close()} has been called. */
    public boolean isClosed() {
        return file.isClosed();
    }

    /** Closes {@code /dev/kvm} (idempotent). VMs created from it stay valid until closed themselves. */
    @Override
    public void close() {
        file.close();
    }
}
