package io.kvmj.core.qemu;

/** One disk's {@code -blockdev} protocol node, {@code -blockdev} format node and {@code -device}, in that order. */
record DiskArgs(QemuOpts protocol, QemuOpts format, QemuOpts device) {
}
