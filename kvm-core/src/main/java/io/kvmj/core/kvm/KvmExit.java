package io.kvmj.core.kvm;

/** {@code KVM_EXIT_*} reasons (from {@code linux/kvm.h}) and I/O directions. */
public final class KvmExit {
    private KvmExit() {}

    public static final int UNKNOWN = 0;
    public static final int EXCEPTION = 1;
    public static final int IO = 2;
    public static final int HYPERCALL = 3;
    public static final int DEBUG = 4;
    public static final int HLT = 5;
    public static final int MMIO = 6;
    public static final int IRQ_WINDOW_OPEN = 7;
    public static final int SHUTDOWN = 8;
    public static final int FAIL_ENTRY = 9;
    public static final int INTR = 10;
    public static final int SET_TPR = 11;
    public static final int TPR_ACCESS = 12;
    public static final int NMI = 16;
    public static final int INTERNAL_ERROR = 17;
    public static final int SYSTEM_EVENT = 24;

    /** {@code KVM_EXIT_IO_IN}. */
    public static final int IO_IN = 0;
    /** {@code KVM_EXIT_IO_OUT}. */
    public static final int IO_OUT = 1;

    /** The C name of an exit reason, e.g. {@code KVM_EXIT_HLT}, or the number. */
    public static String name(int reason) {
        switch (reason) {
            case UNKNOWN: return "KVM_EXIT_UNKNOWN";
            case EXCEPTION: return "KVM_EXIT_EXCEPTION";
            case IO: return "KVM_EXIT_IO";
            case HYPERCALL: return "KVM_EXIT_HYPERCALL";
            case DEBUG: return "KVM_EXIT_DEBUG";
            case HLT: return "KVM_EXIT_HLT";
            case MMIO: return "KVM_EXIT_MMIO";
            case IRQ_WINDOW_OPEN: return "KVM_EXIT_IRQ_WINDOW_OPEN";
            case SHUTDOWN: return "KVM_EXIT_SHUTDOWN";
            case FAIL_ENTRY: return "KVM_EXIT_FAIL_ENTRY";
            case INTR: return "KVM_EXIT_INTR";
            case SET_TPR: return "KVM_EXIT_SET_TPR";
            case TPR_ACCESS: return "KVM_EXIT_TPR_ACCESS";
            case NMI: return "KVM_EXIT_NMI";
            case INTERNAL_ERROR: return "KVM_EXIT_INTERNAL_ERROR";
            case SYSTEM_EVENT: return "KVM_EXIT_SYSTEM_EVENT";
            default: return "exit " + reason;
        }
    }
}
