package io.kvmj.junit5;

import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/** Unique guest names for this JVM: {@code PREFIX-PID-N}, valid runtime-directory names of at most 40 chars. */
final class GuestNames {
    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static final int MAX_PREFIX = 20;

    private GuestNames() {}

    static String next(String prefix) {
        String p = prefix == null ? "" : prefix.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_.-]+", "-")
                .replaceAll("^[.-]+", "");
        if (p.length() > MAX_PREFIX) {
            p = p.substring(0, MAX_PREFIX);
        }
        if (p.isEmpty()) {
            p = "kvmj";
        }
        return p + "-" + ProcessHandle.current().pid() + "-" + COUNTER.incrementAndGet();
    }
}
