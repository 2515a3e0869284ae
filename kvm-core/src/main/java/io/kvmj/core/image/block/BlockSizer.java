package io.kvmj.core.image.block;

import java.nio.file.Path;

/** Reads the size in bytes of a block device. */
@FunctionalInterface
public interface BlockSizer {
    /** The size of the device at {@code device}, in bytes. */
    long sizeOf(Path device);
}
