package io.kvmj.core.kvm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvmj.core.ffi.ClosedFileException;
import io.kvmj.core.ffi.NativeAccess;
import io.kvmj.core.ffi.NativeException;
import io.kvmj.core.ffi.NativeFile;
import io.kvmj.core.ffi.Posix;
import java.nio.file.Files;
import java.nio.file.Path;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * FFI ownership with both backends: a VM outlives the {@link Kvm} it came from (vCPU creation and the KVM_RUN smoke
 * test still work; needs the real /dev/kvm), and every ioctl on a closed Kvm, VmFd or VcpuFd throws
 * {@link ClosedFileException} naming the ioctl without any ioctl reaching the backend (the old fd number may
 * already belong to another file). The closed-check runs on the real /dev/kvm when usable, else on real files
 * standing in for the fds ({@code /dev/null}, and {@code /dev/zero}, which can be mapped like a vCPU's kvm_run):
 * the check happens before any system call, so it does not depend on the device.
 */
class KvmOwnershipTest {

    static Stream<NativeAccess> backends() {
        return KvmTest.backends();
    }

    static boolean devKvmUsable() {
        return Files.isReadable(Path.of(Kvm.DEFAULT_PATH)) && Files.isWritable(Path.of(Kvm.DEFAULT_PATH));
    }

    /** {@code real}, recording the fd of every ioctl (also those made through the interface's default methods). */
    static NativeAccess recording(NativeAccess real, List<Integer> ioctlFds) {
        return (NativeAccess) Proxy.newProxyInstance(NativeAccess.class.getClassLoader(),
                new Class<?>[] {NativeAccess.class}, (proxy, m, args) -> {
                    if (m.getName().startsWith("ioctl")) {
                        ioctlFds.add((Integer) args[0]);
                    }
                    try {
                        return m.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    @ParameterizedTest
    @MethodSource("backends")
    void aVmOutlivesItsKvm(NativeAccess a) {
        KvmTest.needDevKvm();
        VmFd vm;
        try (Kvm kvm = Kvm.open(a)) {
            vm = kvm.createVm();
            assertEquals(kvm.vcpuMmapSize(), vm.vcpuMmapSize());
        }
        try (vm) {
            KvmRunSmokeTest.Result r = KvmRunSmokeTest.run(vm);
            assertTrue(r.passed(), r.toString());
            assertEquals(KvmRunSmokeTest.EXPECTED, r.output());
        }
    }

    @ParameterizedTest
    @MethodSource("backends")
    void closedFdsAreNeverPassedToTheKernel(NativeAccess real) {
        List<Integer> ioctlFds = new CopyOnWriteArrayList<>();
        NativeAccess a = recording(real, ioctlFds);
        Kvm kvm;
        VmFd vm;
        VcpuFd vcpu;
        String kvmPath;
        if (devKvmUsable()) {
            kvmPath = Kvm.DEFAULT_PATH;
            kvm = Kvm.open(a);
            vm = kvm.createVm();
            vcpu = vm.createVcpu(0);
            assertTrue(ioctlFds.contains(kvm.fd()) && ioctlFds.contains(vm.fd()), "the recorder sees ioctls: " + ioctlFds);
        } else {
            kvmPath = "/dev/null";
            kvm = Kvm.open(a, kvmPath);
            vm = new VmFd(NativeFile.adopt(a, "kvm-vm", NativeFile.open(a, "/dev/null", Posix.O_RDWR, 0).fd()), 4096);
            vcpu = new VcpuFd(NativeFile.adopt(a, "kvm-vcpu0", NativeFile.open(a, "/dev/zero", Posix.O_RDWR, 0).fd()), 4096);
            assertThrows(NativeException.class, kvm::apiVersion, "/dev/null answers no KVM ioctl");
            assertTrue(ioctlFds.contains(kvm.fd()), "the recorder sees ioctls: " + ioctlFds);
        }
        kvm.close();
        vcpu.close();
        vm.close();
        assertTrue(kvm.isClosed() && vm.isClosed() && vcpu.isClosed());
        ioctlFds.clear();

        closed(kvmPath, "KVM_GET_API_VERSION", kvm::apiVersion);
        closed(kvmPath, "KVM_CHECK_EXTENSION", () -> kvm.checkExtension(Capability.USER_MEMORY));
        closed(kvmPath, "KVM_CHECK_EXTENSION", () -> kvm.checkExtension(66));
        closed(kvmPath, "KVM_GET_VCPU_MMAP_SIZE", kvm::vcpuMmapSize);
        closed(kvmPath, "KVM_GET_VCPU_MMAP_SIZE", kvm::createVm);
        closed(kvmPath, "KVM_GET_SUPPORTED_CPUID", kvm::supportedCpuid);
        closed(kvmPath, "KVM_GET_MSR_INDEX_LIST", kvm::msrIndexListCount);
        closed("kvm-vm", "KVM_CREATE_VCPU", () -> vm.createVcpu(1));
        closed("kvm-vm", "KVM_CHECK_EXTENSION", () -> vm.checkExtension(Capability.NR_MEMSLOTS));
        closed("kvm-vm", "KVM_SET_TSS_ADDR", () -> vm.setTssAddr(0xfffbd000L));
        closed("kvm-vm", "KVM_SET_USER_MEMORY_REGION", () -> vm.setUserMemoryRegion(0, 0, 0, 0, 0));
        closed("kvm-vcpu0", "KVM_RUN", vcpu::run);
        closed("kvm-vcpu0", "KVM_GET_REGS", vcpu::getRegs);
        closed("kvm-vcpu0", "KVM_SET_SREGS", () -> vcpu.setSregs(new KvmSregs()));
        assertEquals(List.of(), ioctlFds, "no ioctl reached the backend after close");
    }

    private static void closed(String file, String ioctl, Executable call) {
        ClosedFileException e = assertThrows(ClosedFileException.class, call);
        assertEquals("ioctl(" + ioctl + ")", e.operation(), e.getMessage());
        assertEquals(file, e.file());
        assertTrue(e.getMessage().contains(ioctl) && e.getMessage().contains("after close"), e.getMessage());
    }
}
