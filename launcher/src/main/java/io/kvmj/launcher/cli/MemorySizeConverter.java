package io.kvmj.launcher.cli;

import io.kvmj.core.image.ByteSize;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code --memory} in MiB, as {@code qemu -m} reads it: a bare number is MiB, a suffix K, M, G or T (either case)
 * gives the unit ({@code 1G}, {@code 64M}, {@code 2g}, {@code 1536}); the result must be a whole number of MiB, at
 * least 1.
 */
final class MemorySizeConverter implements ITypeConverter<Long> {
    private static final long MIB = 1024L * 1024;

    @Override
    public Long convert(String value) {
        String v = value.strip();
        ByteSize size;
        try {
            size = v.matches("\\d+") ? ByteSize.ofBytes(Long.parseLong(v) * MIB) : ByteSize.parse(v);
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException("'" + value + "' is not a memory size (MiB, or with a unit: 512M, 2G)");
        }
        if (!size.isMultipleOf(MIB) || size.bytes() < MIB) {
            throw new TypeConversionException("'" + value + "' is not a whole number of MiB (at least 1M)");
        }
        return size.bytes() / MIB;
    }
}
