package io.kvmj.core.model;

/** Entries of the legacy BIOS boot order ({@code -boot order=}). */
public enum BootDevice {
    DISK('c'), CDROM('d'), NETWORK('n');

    private final char letter;

    BootDevice(char letter) { this.letter = letter; }

    public char letter() { return letter; }
}
