package io.kvmj.launcher.osimage;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/** The Debian releases {@code kvmj img build} knows, by virt-builder style name ({@code debian-12}). */
public enum DebianRelease {
    /** Debian 12 "bookworm". */
    DEBIAN_12("debian-12", "bookworm", "Debian GNU/Linux 12 (bookworm)");

    private final String osName;
    private final String suite;
    private final String prettyName;

    DebianRelease(String osName, String suite, String prettyName) {
        this.osName = osName;
        this.suite = suite;
        this.prettyName = prettyName;
    }

    /** The name used on the command line and in cache keys, e.g. {@code debian-12}. */
    public String osName() {
        return osName;
    }

    /** The apt suite, e.g. {@code bookworm}. */
    public String suite() {
        return suite;
    }

    /** The GRUB menu title. */
    public String prettyName() {
        return prettyName;
    }

    /** The known names, e.g. {@code [debian-12]}. */
    public static List<String> names() {
        return Arrays.stream(values()).map(DebianRelease::osName).collect(Collectors.toList());
    }

    /**
     * The release named {@code name} ({@code debian-12}; the suite {@code bookworm} is accepted too).
     *
     * @throws IllegalArgumentException for an unknown name, listing the known ones
     */
    public static DebianRelease of(String name) {
        for (DebianRelease r : values()) {
            if (r.osName.equals(name) || r.suite.equals(name)) {
                return r;
            }
        }
        throw new IllegalArgumentException("unknown OS '" + name + "'; known: " + String.join(", ", names()));
    }
}
