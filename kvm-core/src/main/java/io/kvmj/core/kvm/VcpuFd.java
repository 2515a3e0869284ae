package io.kvmj.core.kvm;

import io.kvmj.core.ffi.Errno;
import io.kvmj.core.ffi.Ioctls;
import io.kvmj.core.ffi.NativeAccess;
import io.kvmj.core.ffi.NativeException;
import io.kvmj.core.ffi.NativeFile;
import io.kvmj.core.ffi.NativeMemory;
import io.kvmj.core.ffi.Posix;

/** A vCPU fd from {@code KVM_CREATE_VCPU} with its shared {@code kvm_run} mapping. */
public final class VcpuFd implements AutoCloseable {
    private final NativeFile file;
    private final NativeMemory runArea;
    private final KvmRun run;

    VcpuFd(NativeFile file, int mmapSize) {
        this.file = file;
        this.runArea = file.mmap(mmapSize, Posix.PROT_READ | Posix.PROT_WRITE, Posix.MAP_SHARED, 0);
        this.run = new KvmRun(runArea);
    }

    /** Whether {@link #close()} has been called. */
    public boolean isClosed() {
        return file.isClosed();
    }

    /** The raw fd. */
    public int fd() {
        return file.fd();
    }

    /** The mapped {@code struct kvm_run}, valid until close; read it after {@link #run()}. */
    public KvmRun kvmRun() {
        return run;
    }

    /** {@code KVM_RUN}, retried on {@code EINTR}; returns the exit reason (see {@link KvmExit}). */
    public int run() {
        NativeAccess a = file.access();
        while (true) {
            if (a.ioctl(file.fdForIoctl(Ioctls.KVM_RUN), Ioctls.KVM_RUN, 0) >= 0) {
                return run.exitReason();
            }
            NativeException e = a.failure("ioctl(KVM_RUN)");
            if (e.errno() != Errno.EINTR) {
                throw e;
            }
        }
    }

    /** {@code KVM_GET_REGS}. */
    public KvmRegs getRegs() {
        KvmRegs r = new KvmRegs();
        read(Ioctls.KVM_GET_REGS, r.raw());
        return r;
    }

    /** {@code KVM_SET_REGS}. */
    public void setRegs(KvmRegs regs) {
        write(Ioctls.KVM_SET_REGS, regs.raw());
    }

    /** {@code KVM_GET_SREGS}. */
    public KvmSregs getSregs() {
        KvmSregs s = new KvmSregs();
        read(Ioctls.KVM_GET_SREGS, s.raw());
        return s;
    }

    /** {@code KVM_SET_SREGS}. */
    public void setSregs(KvmSregs sregs) {
        write(Ioctls.KVM_SET_SREGS, sregs.raw());
    }

    private void read(long request, byte[] into) {
        try (NativeMemory m = NativeMemory.allocate(file.access(), into.length)) {
            file.ioctl(request, m.address());
            byte[] b = m.getBytes(0, into.length);
            System.arraycopy(b, 0, into, 0, into.length);
        }
    }

    private void write(long request, byte[] from) {
        try (NativeMemory m = NativeMemory.allocate(file.access(), from.length)) {
            m.putBytes(0, from);
            file.ioctl(request, m.address());
        }
    }

    /** Unmaps {@code kvm_run} and closes the fd (idempotent). */
    @Override
    public void close() {
        try {
            runArea.close();
        } finally {
            file.close();
        }
    }
}
