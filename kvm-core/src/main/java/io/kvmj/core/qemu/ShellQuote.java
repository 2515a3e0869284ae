package io.kvmj.core.qemu;

import java.util.List;
import java.util.regex.Pattern;

/**
 * POSIX shell quoting of argv elements, so a printed command line can be pasted into a shell; the one quoter of
 * kvmj ({@link QemuCommand#shellQuoted()}, the launcher's plans and errors, benchmarks).
 *
 * <pre>{@code
 * ShellQuote.join(List.of("qemu", "-name", "guest=a b"))   // qemu -name 'guest=a b'
 * }</pre>
 */
public final class ShellQuote {
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9_@%+=:,./-]+");

    private ShellQuote() {}

    /** Quotes one word: unchanged when it only holds safe characters, else in single quotes. */
    public static String quote(String word) {
        if (!word.isEmpty() && SAFE.matcher(word).matches()) {
            return word;
        }
        return "'" + word.replace("'", "'\\''") + "'";
    }

    /** Quotes every element and joins them with spaces. */
    public static String join(List<String> argv) {
        StringBuilder sb = new StringBuilder();
        for (String a : argv) {
            if (sb.length() > 0) {
                sb.append(' ');
            }
            sb.append(quote(a));
        }
        return sb.toString();
    }
}
