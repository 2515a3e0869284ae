package io.kvmj.core.ffi;

/**
 * Every ioctl request number kvmj uses, built in one place with the Linux {@code _IO/_IOR/_IOW/_IOWR}
 * encoding ({@code dir << 30 | size << 16 | type << 8 | nr}). Struct sizes are the x86-64 ones from
 * {@code linux/kvm.h}.
 */
public final class Ioctls {
    private Ioctls() {}

    private static final int NONE = 0;
    private static final int WRITE = 1;
    private static final int READ = 2;

    /** {@code _IOC(dir, type, nr, size)}. */
    public static long ioc(int dir, int type, int nr, int size) {
        return ((long) dir << 30) | ((long) size << 16) | ((long) type << 8) | nr;
    }

    /** {@code _IO(type, nr)}: no argument struct. */
    public static long io(int type, int nr) {
        return ioc(NONE, type, nr, 0);
    }

    /** {@code _IOR(type, nr, size)}: the kernel writes {@code size} bytes to the argument. */
    public static long ior(int type, int nr, int size) {
        return ioc(READ, type, nr, size);
    }

    /** {@code _IOW(type, nr, size)}: the kernel reads {@code size} bytes from the argument. */
    public static long iow(int type, int nr, int size) {
        return ioc(WRITE, type, nr, size);
    }

    /** {@code _IOWR(type, nr, size)}: both directions. */
    public static long iowr(int type, int nr, int size) {
        return ioc(READ | WRITE, type, nr, size);
    }

    /** The KVM ioctl type byte. */
    public static final int KVMIO = 0xAE;

    /** Size of {@code struct kvm_msr_list} header ({@code __u32 nmsrs}). */
    public static final int SIZEOF_KVM_MSR_LIST = 4;
    /** Size of {@code struct kvm_cpuid2} header ({@code nent, padding}). */
    public static final int SIZEOF_KVM_CPUID2 = 8;
    /** Size of {@code struct kvm_cpuid_entry2}. */
    public static final int SIZEOF_KVM_CPUID_ENTRY2 = 40;
    /** Size of {@code struct kvm_userspace_memory_region}. */
    public static final int SIZEOF_KVM_USERSPACE_MEMORY_REGION = 32;
    /** Size of {@code struct kvm_regs} (x86-64). */
    public static final int SIZEOF_KVM_REGS = 144;
    /** Size of {@code struct kvm_sregs} (x86-64). */
    public static final int SIZEOF_KVM_SREGS = 312;

    // system ioctls on /dev/kvm
    public static final long KVM_GET_API_VERSION = io(KVMIO, 0x00);
    public static final long KVM_CREATE_VM = io(KVMIO, 0x01);
    public static final long KVM_GET_MSR_INDEX_LIST = iowr(KVMIO, 0x02, SIZEOF_KVM_MSR_LIST);
    public static final long KVM_CHECK_EXTENSION = io(KVMIO, 0x03);
    public static final long KVM_GET_VCPU_MMAP_SIZE = io(KVMIO, 0x04);
    public static final long KVM_GET_SUPPORTED_CPUID = iowr(KVMIO, 0x05, SIZEOF_KVM_CPUID2);
    public static final long KVM_GET_EMULATED_CPUID = iowr(KVMIO, 0x09, SIZEOF_KVM_CPUID2);
    public static final long KVM_GET_MSR_FEATURE_INDEX_LIST = iowr(KVMIO, 0x0a, SIZEOF_KVM_MSR_LIST);

    // VM ioctls
    public static final long KVM_CREATE_VCPU = io(KVMIO, 0x41);
    public static final long KVM_SET_USER_MEMORY_REGION =
            iow(KVMIO, 0x46, SIZEOF_KVM_USERSPACE_MEMORY_REGION);
    public static final long KVM_SET_TSS_ADDR = io(KVMIO, 0x47);
    public static final long KVM_SET_IDENTITY_MAP_ADDR = iow(KVMIO, 0x48, 8);
    public static final long KVM_CREATE_IRQCHIP = io(KVMIO, 0x60);

    // vCPU ioctls
    public static final long KVM_RUN = io(KVMIO, 0x80);
    public static final long KVM_GET_REGS = ior(KVMIO, 0x81, SIZEOF_KVM_REGS);
    public static final long KVM_SET_REGS = iow(KVMIO, 0x82, SIZEOF_KVM_REGS);
    public static final long KVM_GET_SREGS = ior(KVMIO, 0x83, SIZEOF_KVM_SREGS);
    public static final long KVM_SET_SREGS = iow(KVMIO, 0x84, SIZEOF_KVM_SREGS);

    // block devices
    /** {@code BLKGETSIZE64 = _IOR(0x12, 114, size_t)}: device size in bytes into a {@code u64}. */
    public static final long BLKGETSIZE64 = ior(0x12, 114, 8);

    /** A readable name for a request number (for error messages), or its hex value. */
    public static String name(long request) {
        for (java.lang.reflect.Field f : Ioctls.class.getFields()) {
            if (f.getType() == long.class && java.lang.reflect.Modifier.isStatic(f.getModifiers())) {
                try {
                    if (f.getLong(null) == request) {
                        return f.getName();
                    }
                } catch (IllegalAccessException e) {
                    throw new AssertionError(e);
                }
            }
        }
        return "0x" + Long.toHexString(request);
    }
}
