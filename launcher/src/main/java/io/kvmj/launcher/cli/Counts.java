package io.kvmj.launcher.cli;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Converters for counts and timeouts, checked when the command line is parsed (a usage error, exit 2), so that a
 * negative timeout never means "no wait" and a count of 0 never means "nothing".
 *
 * <pre>{@code @Option(names = "--timeout", converter = Counts.NonNegative.class) long timeout;}</pre>
 */
final class Counts {
    private Counts() {}

    private static long parse(String value, long min, String what) {
        long v;
        try {
            v = Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            throw new TypeConversionException("'" + value + "' is not a whole number");
        }
        if (v < min) {
            throw new TypeConversionException("'" + value + "' must be " + what);
        }
        return v;
    }

    /** 0 or more (a timeout where 0 has a documented meaning). */
    static final class NonNegative implements ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            return parse(value, 0, "0 or more");
        }
    }

    /** 1 or more. */
    static final class Positive implements ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            return parse(value, 1, "1 or more");
        }
    }

    /** 1 or more, as an int (event counts). */
    static final class PositiveInt implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            long v = parse(value, 1, "1 or more");
            if (v > Integer.MAX_VALUE) {
                throw new TypeConversionException("'" + value + "' is too large");
            }
            return (int) v;
        }
    }
}
