package io.kvmj.core.model;

import java.util.Locale;

/** A host PCI function passed through with vfio-pci; {@code bdf} is normalised to {@code 0000:01:00.0}. */
public record PciHostDevice(String bdf) {
    public PciHostDevice {
        String b = bdf == null ? "" : bdf.toLowerCase(Locale.ROOT);
        if (b.matches("[0-9a-f]{2}:[0-9a-f]{2}\\.[0-7]")) {
            b = "0000:" + b;
        }
        if (!b.matches("[0-9a-f]{4}:[0-9a-f]{2}:[0-9a-f]{2}\\.[0-7]")) {
            throw new InvalidSpecException("pci.host", bdf, "not a PCI address (DDDD:BB:DD.F)");
        }
        bdf = b;
    }

    public static PciHostDevice of(String bdf) { return new PciHostDevice(bdf); }
}
