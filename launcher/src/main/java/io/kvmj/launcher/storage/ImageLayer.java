package io.kvmj.launcher.storage;

/**
 * One image in a drive's backing chain as a running QEMU sees it.
 *
 * @param node         the format node name (e.g. {@code disk0-fmt}, or QEMU's {@code #blockNNN} for implicit nodes);
 *                     null if QEMU lists no node for this image
 * @param file         the image file name
 * @param format       the format driver ({@code qcow2}, {@code raw}, ...)
 * @param virtualSize  the virtual size in bytes
 * @param actualSize   bytes allocated on the host, or null if unknown
 * @param readOnly     whether QEMU opened this node read-only (backing images are, the active layer usually not)
 * @param protocolNode the protocol node under the format node ({@code disk0-file}), or null
 * @param backingFile  the backing file name recorded in the image, or null
 */
public record ImageLayer(String node, String file, String format, long virtualSize, Long actualSize,
                         boolean readOnly, String protocolNode, String backingFile) {
}
