package io.kvmj.core.image.block;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Locale;

/**
 * A host disk's serial number and World Wide Name, read from its sysfs directory the way the kernel exposes them:
 * {@code serial} (virtio-blk, NVMe via {@code device/serial}), else the Unit Serial Number VPD page 0x80
 * ({@code device/vpd_pg80}, SCSI/SATA); the WWN from {@code wwid} / {@code device/wwid} when it is a 64-bit
 * {@code naa.} name, else the first 8-byte NAA designator of the Device Identification VPD page 0x83
 * ({@code device/vpd_pg83}). Loop devices, device-mapper and md have neither.
 *
 * <pre>{@code
 * String wwn = DiskIdentity.wwn(Path.of("/sys/dev/block/8:0"));   // "0x5000c500a1b2c3d4" or null
 * }</pre>
 */
final class DiskIdentity {
    private DiskIdentity() {}

    /** The serial of the disk at sysfs directory {@code sys}, stripped, or null. */
    static String serial(Path sys) {
        for (String f : new String[] {"serial", "device/serial"}) {
            String v = text(sys.resolve(f));
            if (v != null && !v.isEmpty()) {
                return v;
            }
        }
        byte[] pg80 = bytes(sys.resolve("device/vpd_pg80"));
        if (pg80 != null && pg80.length > 4 && (pg80[1] & 0xff) == 0x80) {
            int len = Math.min(((pg80[2] & 0xff) << 8) | (pg80[3] & 0xff), pg80.length - 4);
            String v = new String(pg80, 4, len, StandardCharsets.US_ASCII).strip();
            return v.isEmpty() ? null : v;
        }
        return null;
    }

    /** The 64-bit NAA WWN of the disk at sysfs directory {@code sys} as {@code 0x...}, or null. */
    static String wwn(Path sys) {
        for (String f : new String[] {"wwid", "device/wwid"}) {
            String v = text(sys.resolve(f));
            if (v != null && v.toLowerCase(Locale.ROOT).matches("naa\\.[0-9a-f]{16}")) {
                return "0x" + v.substring(4).toLowerCase(Locale.ROOT);
            }
        }
        return naaFromPage83(bytes(sys.resolve("device/vpd_pg83")));
    }

    /** The first logical-unit NAA designator of 8 bytes in a VPD page 0x83, or null. */
    static String naaFromPage83(byte[] page) {
        if (page == null || page.length < 4 || (page[1] & 0xff) != 0x83) {
            return null;
        }
        int end = Math.min(page.length, 4 + (((page[2] & 0xff) << 8) | (page[3] & 0xff)));
        int i = 4;
        while (i + 4 <= end) {
            int association = (page[i + 1] >> 4) & 0x3;
            int type = page[i + 1] & 0x0f;
            int len = page[i + 3] & 0xff;
            if (type == 3 && association == 0 && len == 8 && i + 4 + len <= end) {
                byte[] id = new byte[8];
                System.arraycopy(page, i + 4, id, 0, 8);
                return "0x" + HexFormat.of().formatHex(id);
            }
            i += 4 + len;
        }
        return null;
    }

    private static String text(Path f) {
        byte[] b = bytes(f);
        return b == null ? null : new String(b, StandardCharsets.UTF_8).strip();
    }

    private static byte[] bytes(Path f) {
        if (!Files.isRegularFile(f)) {
            return null;
        }
        try {
            return Files.readAllBytes(f);
        } catch (IOException e) {
            return null;
        }
    }
}
