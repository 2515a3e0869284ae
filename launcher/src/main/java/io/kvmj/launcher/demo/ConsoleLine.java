package io.kvmj.launcher.demo;

/**
 * One line of guest serial console output.
 *
 * @param atMillis milliseconds since QEMU was started
 * @param text     the line without its line terminator
 */
public record ConsoleLine(long atMillis, String text) {}
