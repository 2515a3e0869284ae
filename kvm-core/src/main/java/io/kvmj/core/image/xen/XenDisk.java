package io.kvmj.core.image.xen;

import io.kvmj.core.image.ImageFormat;

/**
 * One entry of a Xen {@code disk = [...]} list, normalised so it can become a kvmj disk.
 *
 * @param spec     the entry exactly as written in the Xen config
 * @param source   host path of the image or device; empty for an empty CD-ROM drive
 * @param format   image format implied by the prefix ({@code phy:}/{@code file:}/{@code tap:aio:} are raw,
 *                 {@code tap:qcow:} is qcow v1, {@code tap:qcow2:} qcow2, {@code tap:vhd:} vpc)
 * @param kind     block device or file
 * @param backend  the Xen prefix that was used, e.g. {@code "tap:aio"}, or {@code ""} when there was none
 * @param target   guest device name without suffix, e.g. {@code xvda}, {@code hda}, {@code sda1}
 * @param readOnly true for mode {@code r}/{@code ro}
 * @param shared   true for mode {@code w!}: writable even if another domain also has it writable
 * @param cdrom    true when the target carried {@code :cdrom} (or {@code devtype=cdrom})
 */
public record XenDisk(
    String spec,
    String source,
    ImageFormat format,
    XenDiskKind kind,
    String backend,
    String target,
    boolean readOnly,
    boolean shared,
    boolean cdrom) {

    /** True for a CD-ROM drive with no medium. */
    public boolean empty() {
        return source.isEmpty();
    }
}
