package io.kvmj.launcher.backend;

import io.kvmj.core.image.ByteSize;

/**
 * What {@link GuestBackend#diskResize} did: disk {@code drive}'s virtual size before and after, in bytes.
 *
 * @param drive  the drive name ({@link BackendDisk#drive()})
 * @param before its size before
 * @param after  its size now, as the backend reports it
 */
public record BackendResize(String drive, long before, long after) {
    /**
     * The refusal of {@code kvmj disk resize} without {@code --shrink}, the same on both backends.
     *
     * <pre>{@code
     * BackendResize.refuseShrink("vdb", 16L << 20, 8L << 20, false);   // IllegalArgumentException
     * }</pre>
     *
     * @throws IllegalArgumentException {@code target} is below {@code before} and {@code shrink} is false
     */
    public static void refuseShrink(String drive, long before, long target, boolean shrink) {
        if (target < before && !shrink) {
            throw new IllegalArgumentException("refusing to shrink drive '" + drive + "' from "
                    + ByteSize.ofBytes(before).toHuman() + " to " + ByteSize.ofBytes(target).toHuman()
                    + ": data beyond the new end would be lost (shrink the guest's filesystem first, then pass --shrink)");
        }
        if (target <= 0) {
            throw new IllegalArgumentException("drive '" + drive + "': a size of " + target + " bytes");
        }
    }
}
