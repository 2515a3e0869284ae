package io.kvmj.core.image;

import java.util.Locale;

/** Disk image formats kvmj knows by their qemu-img driver name. */
public enum ImageFormat {
    RAW("raw"), QCOW2("qcow2"), QCOW("qcow"), QED("qed"), VMDK("vmdk"), VDI("vdi"), VHDX("vhdx"), VPC("vpc"),
    LUKS("luks"), BOCHS("bochs"), CLOOP("cloop"), DMG("dmg"), PARALLELS("parallels");

    private final String qemuName;

    ImageFormat(String qemuName) {
        this.qemuName = qemuName;
    }

    /** The driver name qemu-img uses for {@code -f}/{@code -O}/{@code -F}. */
    public String qemuName() {
        return qemuName;
    }

    /** True for formats that can carry a backing file (copy-on-write overlays). */
    public boolean supportsBacking() {
        return this == QCOW2 || this == QCOW || this == QED || this == VMDK;
    }

    /** Parses a qemu-img format name ({@code qcow2}, {@code raw}, ...), case-insensitive. */
    public static ImageFormat of(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        for (ImageFormat f : values()) {
            if (f.qemuName.equals(n)) {
                return f;
            }
        }
        throw new IllegalArgumentException("unknown image format '" + name + "' (known: "
            + java.util.Arrays.stream(values()).map(ImageFormat::qemuName).collect(java.util.stream.Collectors.joining(", "))
            + ")");
    }

    @Override
    public String toString() {
        return qemuName;
    }
}
