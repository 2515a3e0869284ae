package io.kvmj.core.image;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A size in bytes, parsed the way qemu-img reads sizes: a plain byte count ({@code 1048576}) or a number
 * with a binary suffix {@code K M G T P E} (1024-based, case-insensitive, optional trailing {@code B} or
 * {@code iB}). Fractions are allowed with a suffix ({@code 1.5G}) as long as the result is a whole byte count.
 */
public record ByteSize(long bytes) implements Comparable<ByteSize> {
    private static final Pattern SYNTAX =
        Pattern.compile("\\s*(\\d+(?:\\.\\d+)?)\\s*([kKmMgGtTpPeE]?)(?:i?[bB])?\\s*");
    private static final String SUFFIXES = "KMGTPE";

    /** Validates that the size is not negative. */
    public ByteSize {
        if (bytes < 0) {
            throw new IllegalArgumentException("size must not be negative: " + bytes);
        }
    }

    /** A size of {@code bytes} bytes. */
    public static ByteSize ofBytes(long bytes) {
        return new ByteSize(bytes);
    }

    /** A size of {@code n} MiB. */
    public static ByteSize ofMiB(long n) {
        return new ByteSize(Math.multiplyExact(n, 1L << 20));
    }

    /** A size of {@code n} GiB. */
    public static ByteSize ofGiB(long n) {
        return new ByteSize(Math.multiplyExact(n, 1L << 30));
    }

    /**
     * Parses {@code "10G"}, {@code "512M"}, {@code "64k"}, {@code "1.5G"} or a plain byte count.
     *
     * @throws IllegalArgumentException with the offending text when it is not a size
     */
    public static ByteSize parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("size is missing");
        }
        Matcher m = SYNTAX.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("not a size: '" + text
                + "' (expected bytes or a number with suffix K, M, G, T, P or E, e.g. 10G)");
        }
        String number = m.group(1);
        String suffix = m.group(2).toUpperCase(Locale.ROOT);
        int shift = suffix.isEmpty() ? 0 : 10 * (SUFFIXES.indexOf(suffix) + 1);
        try {
            java.math.BigDecimal value = new java.math.BigDecimal(number)
                .multiply(java.math.BigDecimal.valueOf(2).pow(shift));
            if (value.signum() != 0 && value.stripTrailingZeros().scale() > 0) {
                throw new IllegalArgumentException("size '" + text + "' is not a whole number of bytes");
            }
            return new ByteSize(value.longValueExact());
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("size '" + text + "' is too large", e);
        }
    }

    /** True if this size is a multiple of {@code unit} bytes. */
    public boolean isMultipleOf(long unit) {
        return bytes % unit == 0;
    }

    /** The exact byte count as qemu-img expects it on its command line. */
    public String toQemuArg() {
        return Long.toString(bytes);
    }

    /** A short human form with a binary unit, e.g. {@code 10 GiB} or {@code 1.5 MiB}. */
    public String toHuman() {
        if (bytes < 1024) {
            return bytes + " B";
        }
        int exp = (63 - Long.numberOfLeadingZeros(bytes)) / 10;
        double v = bytes / Math.pow(1024, exp);
        String num = v == Math.rint(v) ? Long.toString((long) v) : String.format(Locale.ROOT, "%.1f", v);
        return num + " " + "KMGTPE".charAt(exp - 1) + "iB";
    }

    @Override
    public int compareTo(ByteSize o) {
        return Long.compare(bytes, o.bytes);
    }

    @Override
    public String toString() {
        return toHuman();
    }
}
