package io.kvmj.core.host;

/**
 * IOMMU state: the number of groups in {@code /sys/kernel/iommu_groups} (non-zero means the kernel has an active
 * IOMMU, needed for VFIO device assignment) and whether the ACPI tables that describe one exist (Intel
 * {@code DMAR}, AMD {@code IVRS}).
 */
public record IommuFacts(int groups, boolean dmarTable, boolean ivrsTable) {

    /** Reads the facts below the root. */
    public static IommuFacts read(HostRoot root) {
        return new IommuFacts(root.list("/sys/kernel/iommu_groups").size(),
                root.exists("/sys/firmware/acpi/tables/DMAR"), root.exists("/sys/firmware/acpi/tables/IVRS"));
    }
}
