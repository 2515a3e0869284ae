package io.kvmj.core.image;

/** What {@code qemu-img check} may repair: nothing, leaked clusters only ({@code -r leaks}), or all ({@code -r all}). */
public enum CheckRepair {
    NONE, LEAKS, ALL
}
