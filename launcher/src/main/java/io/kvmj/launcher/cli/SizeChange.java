package io.kvmj.launcher.cli;

import io.kvmj.core.image.ByteSize;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * A resize argument as qemu-img takes it: {@code SIZE} (absolute), {@code +SIZE} (grow by) or {@code -SIZE}
 * (shrink by). picocli would take {@code -100M} for an unknown option; the resize commands therefore read unmatched
 * option-like words as positionals ({@link Main#commandLine()}), and {@code --} before it works too.
 *
 * <pre>{@code
 * SizeChange.parse("-100M").apply(1 << 30)   // 1 GiB - 100 MiB
 * SizeChange.parse("+1G").apply(0)           // 1 GiB
 * }</pre>
 *
 * @param sign  +1 grow by, -1 shrink by, 0 absolute
 * @param size  the size or the amount
 */
record SizeChange(int sign, ByteSize size) {
    /** Parses {@code 20G}, {@code +5G}, {@code -100M}; an error names the accepted forms. */
    static SizeChange parse(String value) {
        int sign = value.startsWith("+") ? 1 : value.startsWith("-") ? -1 : 0;
        try {
            return new SizeChange(sign, ByteSize.parse(sign == 0 ? value : value.substring(1)));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a size: '" + value + "' (give SIZE, +SIZE or -SIZE, e.g. 20G, "
                    + "+1G, -100M; options go before FILE)");
        }
    }

    /** The new size for an image of {@code current} bytes; an error when it would be zero or less. */
    long apply(long current) {
        long target = sign == 0 ? size.bytes() : sign > 0 ? Math.addExact(current, size.bytes())
                : current - size.bytes();
        if (target <= 0) {
            throw new IllegalArgumentException("-" + size.toHuman() + " would leave " + ByteSize.ofBytes(current)
                    .toHuman() + " at zero or less");
        }
        return target;
    }

    /** picocli converter: a bad size is a usage error. */
    static final class Converter implements ITypeConverter<SizeChange> {
        @Override
        public SizeChange convert(String value) {
            try {
                return parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }
}
