package io.kvmj.core.kvm;

/**
 * Common {@code KVM_CAP_*} capabilities with their numbers from {@code linux/kvm.h}. {@link #numeric()} marks
 * capabilities whose {@code KVM_CHECK_EXTENSION} result is a count, size or bitmask rather than a yes/no.
 */
public enum Capability {
    IRQCHIP(0, false, "In-kernel interrupt controller (PIC/IOAPIC/LAPIC)"),
    HLT(1, false, "HLT exits handled in kernel"),
    MMU_SHADOW_CACHE_CONTROL(2, false, "Shadow MMU cache control"),
    USER_MEMORY(3, false, "User-space memory slots (KVM_SET_USER_MEMORY_REGION)"),
    SET_TSS_ADDR(4, false, "KVM_SET_TSS_ADDR"),
    VAPIC(6, false, "Virtual APIC (TPR access reporting)"),
    EXT_CPUID(7, false, "KVM_GET_SUPPORTED_CPUID"),
    CLOCKSOURCE(8, false, "kvmclock clock source"),
    NR_VCPUS(9, true, "Recommended maximum vCPUs per VM"),
    NR_MEMSLOTS(10, true, "Maximum memory slots per VM"),
    PIT(11, false, "In-kernel PIT"),
    NOP_IO_DELAY(12, false, "Paravirtual NOP I/O delay"),
    PV_MMU(13, false, "Paravirtual MMU"),
    MP_STATE(14, false, "KVM_GET/SET_MP_STATE"),
    COALESCED_MMIO(15, true, "Coalesced MMIO ring page offset"),
    SYNC_MMU(16, false, "MMU notifiers (guest memory can be swapped or migrated)"),
    IOMMU(18, false, "Legacy device assignment"),
    USER_NMI(22, false, "Inject NMIs from user space"),
    SET_GUEST_DEBUG(23, false, "KVM_SET_GUEST_DEBUG"),
    REINJECT_CONTROL(24, false, "PIT reinjection control"),
    IRQ_ROUTING(25, false, "GSI routing"),
    IRQ_INJECT_STATUS(26, false, "IRQ injection status"),
    MCE(31, true, "Machine-check banks"),
    IRQFD(32, false, "irqfd"),
    PIT2(33, false, "KVM_CREATE_PIT2"),
    SET_BOOT_CPU_ID(34, false, "KVM_SET_BOOT_CPU_ID"),
    PIT_STATE2(35, false, "KVM_GET/SET_PIT2"),
    IOEVENTFD(36, false, "ioeventfd"),
    SET_IDENTITY_MAP_ADDR(37, false, "KVM_SET_IDENTITY_MAP_ADDR"),
    XEN_HVM(38, true, "Xen HVM emulation flags"),
    ADJUST_CLOCK(39, true, "kvmclock adjust flags"),
    INTERNAL_ERROR_DATA(40, false, "Extra data on KVM_EXIT_INTERNAL_ERROR"),
    VCPU_EVENTS(41, false, "KVM_GET/SET_VCPU_EVENTS"),
    HYPERV(44, false, "Hyper-V enlightenments"),
    HYPERV_VAPIC(45, false, "Hyper-V virtual APIC"),
    HYPERV_SPIN(46, false, "Hyper-V spinlock hints"),
    PCI_SEGMENT(47, false, "PCI segments"),
    INTR_SHADOW(49, false, "Interrupt shadow state"),
    DEBUGREGS(50, false, "KVM_GET/SET_DEBUGREGS"),
    X86_ROBUST_SINGLESTEP(51, false, "Robust single-stepping"),
    ENABLE_CAP(54, false, "KVM_ENABLE_CAP on vCPUs"),
    XSAVE(55, false, "KVM_GET/SET_XSAVE"),
    XCRS(56, false, "KVM_GET/SET_XCRS"),
    ASYNC_PF(59, false, "Asynchronous page faults"),
    TSC_CONTROL(60, false, "Per-vCPU TSC frequency"),
    GET_TSC_KHZ(61, false, "KVM_GET_TSC_KHZ"),
    MAX_VCPUS(66, true, "Maximum vCPUs per VM"),
    ONE_REG(70, false, "KVM_GET/SET_ONE_REG"),
    TSC_DEADLINE_TIMER(72, false, "TSC-deadline timer"),
    SYNC_REGS(74, false, "Registers synced through kvm_run"),
    PCI_2_3(75, false, "PCI 2.3 INTx masking"),
    KVMCLOCK_CTRL(76, false, "KVM_KVMCLOCK_CTRL"),
    SIGNAL_MSI(77, false, "KVM_SIGNAL_MSI"),
    READONLY_MEM(81, false, "Read-only memory slots"),
    IRQFD_RESAMPLE(82, false, "irqfd resample"),
    DEVICE_CTRL(89, false, "KVM_CREATE_DEVICE"),
    EXT_EMUL_CPUID(95, false, "KVM_GET_EMULATED_CPUID"),
    HYPERV_TIME(96, false, "Hyper-V reference TSC page"),
    IOAPIC_POLARITY_IGNORED(97, false, "IOAPIC polarity ignored"),
    ENABLE_CAP_VM(98, false, "KVM_ENABLE_CAP on VMs"),
    IOEVENTFD_NO_LENGTH(100, false, "Zero-length ioeventfd"),
    VM_ATTRIBUTES(101, false, "VM device attributes"),
    CHECK_EXTENSION_VM(105, false, "KVM_CHECK_EXTENSION on VM fds"),
    DISABLE_QUIRKS(116, false, "KVM_CAP_DISABLE_QUIRKS"),
    X86_SMM(117, false, "System management mode"),
    MULTI_ADDRESS_SPACE(118, true, "Memory address spaces (2 with SMM)"),
    GUEST_DEBUG_HW_BPS(119, true, "Hardware breakpoints"),
    GUEST_DEBUG_HW_WPS(120, true, "Hardware watchpoints"),
    SPLIT_IRQCHIP(121, false, "Split IRQ chip (LAPIC in kernel, IOAPIC in user space)"),
    IOEVENTFD_ANY_LENGTH(122, false, "ioeventfd of any length"),
    HYPERV_SYNIC(123, false, "Hyper-V SynIC"),
    VCPU_ATTRIBUTES(127, false, "vCPU device attributes"),
    MAX_VCPU_ID(128, true, "Maximum vCPU id + 1"),
    X2APIC_API(129, true, "x2APIC API flags"),
    MSI_DEVID(131, false, "MSI device ids"),
    IMMEDIATE_EXIT(136, false, "kvm_run.immediate_exit"),
    X86_DISABLE_EXITS(143, true, "Exits that can be disabled (bitmask)"),
    HYPERV_SYNIC2(148, false, "Hyper-V SynIC v2"),
    HYPERV_VP_INDEX(149, false, "Hyper-V VP index"),
    GET_MSR_FEATURES(153, false, "KVM_GET_MSR_FEATURE_INDEX_LIST"),
    HYPERV_EVENTFD(154, false, "Hyper-V eventfd"),
    HYPERV_TLBFLUSH(155, false, "Hyper-V TLB flush"),
    NESTED_STATE(157, true, "Nested state size (0 = no nested virtualisation)"),
    MSR_PLATFORM_INFO(159, false, "MSR_PLATFORM_INFO"),
    HYPERV_SEND_IPI(161, false, "Hyper-V IPI"),
    COALESCED_PIO(162, false, "Coalesced PIO"),
    HYPERV_ENLIGHTENED_VMCS(163, false, "Hyper-V enlightened VMCS"),
    EXCEPTION_PAYLOAD(164, false, "Exception payloads"),
    MANUAL_DIRTY_LOG_PROTECT2(168, true, "Manual dirty-log protect flags"),
    HYPERV_CPUID(167, false, "KVM_GET_SUPPORTED_HV_CPUID"),
    PMU_EVENT_FILTER(173, false, "PMU event filter"),
    HYPERV_DIRECT_TLBFLUSH(175, false, "Hyper-V direct TLB flush"),
    HALT_POLL(182, false, "Per-VM halt polling"),
    ASYNC_PF_INT(183, false, "Async page faults via interrupt"),
    SMALLER_MAXPHYADDR(185, false, "Guest MAXPHYADDR below host"),
    STEAL_TIME(187, false, "Steal time accounting"),
    X86_USER_SPACE_MSR(188, false, "MSR exits to user space"),
    X86_MSR_FILTER(189, false, "MSR filter"),
    ENFORCE_PV_FEATURE_CPUID(190, false, "Enforce PV feature CPUID"),
    SYS_HYPERV_CPUID(191, false, "System Hyper-V CPUID"),
    DIRTY_LOG_RING(192, true, "Dirty ring maximum size (bytes)"),
    X86_BUS_LOCK_EXIT(193, true, "Bus-lock exit modes"),
    SET_GUEST_DEBUG2(195, true, "Guest debug flags"),
    SGX_ATTRIBUTE(196, false, "SGX attributes"),
    VM_COPY_ENC_CONTEXT_FROM(197, false, "Copy encryption context (SEV)"),
    SREGS2(200, false, "KVM_GET/SET_SREGS2"),
    EXIT_HYPERCALL(201, true, "Hypercalls that exit to user space (bitmask)"),
    BINARY_STATS_FD(203, false, "Binary statistics fd"),
    EXIT_ON_EMULATION_FAILURE(204, false, "Exit on emulation failure"),
    VM_MOVE_ENC_CONTEXT_FROM(206, false, "Move encryption context (SEV)"),
    XSAVE2(208, true, "XSAVE buffer size (bytes)"),
    SYS_ATTRIBUTES(209, false, "System device attributes"),
    PMU_CAPABILITY(212, true, "PMU capability flags"),
    DISABLE_QUIRKS2(213, true, "Quirks that can be disabled (bitmask)"),
    VM_TSC_CONTROL(214, false, "Per-VM TSC frequency"),
    SYSTEM_EVENT_DATA(215, false, "System event data"),
    X86_TRIPLE_FAULT_EVENT(218, false, "Triple-fault event"),
    X86_NOTIFY_VMEXIT(219, true, "Notify VM exit flags"),
    VM_DISABLE_NX_HUGE_PAGES(220, false, "Disable NX huge pages per VM"),
    DIRTY_LOG_RING_ACQ_REL(223, true, "Dirty ring (acquire/release) maximum size"),
    PMU_EVENT_MASKED_EVENTS(226, false, "Masked PMU events"),
    USER_MEMORY2(231, false, "KVM_SET_USER_MEMORY_REGION2"),
    MEMORY_FAULT_INFO(232, false, "Memory fault exits"),
    MEMORY_ATTRIBUTES(233, true, "Memory attributes (bitmask)"),
    GUEST_MEMFD(234, false, "guest_memfd"),
    VM_TYPES(235, true, "Supported VM types (bitmask)");

    private final int number;
    private final boolean numeric;
    private final String description;

    Capability(int number, boolean numeric, String description) {
        this.number = number;
        this.numeric = numeric;
        this.description = description;
    }

    /** The {@code KVM_CAP_*} number passed to {@code KVM_CHECK_EXTENSION}. */
    public int number() {
        return number;
    }

    /** True when the result is a number (count, size, bitmask) rather than 0/1. */
    public boolean numeric() {
        return numeric;
    }

    /** A short human description. */
    public String description() {
        return description;
    }

    /** The C name, e.g. {@code KVM_CAP_NR_VCPUS}. */
    public String cName() {
        return "KVM_CAP_" + name();
    }
}
