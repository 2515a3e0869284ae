package io.kvmj.core.image.xen;

/** Whether a Xen disk is backed by a host block device ({@code phy:}) or by an image file. */
public enum XenDiskKind {
    BLOCK_DEVICE, FILE
}
