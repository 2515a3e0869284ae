package io.kvmj.junit5;

import java.util.Map;
import org.opentest4j.TestAbortedException;

/**
 * What happens when the host cannot boot a guest (no QEMU, no guest kernel, no {@code qemu-img}): the test is
 * skipped (aborted), unless {@code CI=true} in the environment or the system property
 * {@code kvmj.junit5.missing=fail}, which make it fail; {@code kvmj.junit5.missing=skip} forces a skip.
 * A host without {@code /dev/kvm} is not "missing" anything: the launcher runs guests under TCG.
 */
public enum MissingHostPolicy {
    /** Abort the test (reported as skipped). */
    SKIP,
    /** Fail the test. */
    FAIL;

    /** The system property that overrides the policy ({@code skip} or {@code fail}). */
    public static final String PROPERTY = "kvmj.junit5.missing";

    /** The policy for this JVM: the system property if set, else FAIL under {@code CI=true}, else SKIP. */
    public static MissingHostPolicy current() {
        return of(System.getProperty(PROPERTY), System.getenv());
    }

    /** The policy for a property value (may be null) and an environment. */
    public static MissingHostPolicy of(String property, Map<String, String> env) {
        if (property != null && !property.isBlank()) {
            switch (property.strip().toLowerCase(java.util.Locale.ROOT)) {
                case "skip":
                    return SKIP;
                case "fail":
                    return FAIL;
                default:
                    throw new IllegalArgumentException(PROPERTY + "=" + property + ": use skip or fail");
            }
        }
        return "true".equalsIgnoreCase(env.getOrDefault("CI", "")) ? FAIL : SKIP;
    }

    /** The exception to throw for {@code why} under this policy. */
    public RuntimeException exception(String why) {
        String msg = "kvmj: cannot boot a guest on this host: " + why;
        return this == FAIL ? new GuestBootException(msg + " (failing: " + reason() + ")", null)
                : new TestAbortedException(msg + " (skipped; set CI=true or -D" + PROPERTY + "=fail to fail)");
    }

    private String reason() {
        String p = System.getProperty(PROPERTY);
        return p != null && !p.isBlank() ? PROPERTY + "=" + p : "CI=true";
    }
}
