package io.kvmj.junit5;

import io.kvmj.core.model.GuestSpec;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Boots a QEMU guest for a test and injects its {@link io.kvmj.launcher.Guest} handle; the guest is shut down
 * (and its overlays deleted) when the scope ends. Put it on a field or parameter of type
 * {@code io.kvmj.launcher.Guest}; it registers {@link KvmjExtension} itself.
 *
 * <p>Scope (booted once per scope, shut down after it):
 * <ul>
 *   <li>a {@code static} field, or a parameter of a {@code @BeforeAll} method: once per test class;</li>
 *   <li>an instance field, or a parameter of a test or {@code @BeforeEach} method: once per test method.</li>
 * </ul>
 *
 * <p>What is booted: {@link #image()} (the default, {@link GuestImage#DEMO}: a busybox shell on the serial console,
 * about 10 s under TCG), or a {@link GuestSpec} from {@link #spec()} (a static no-argument method of the test
 * class) or {@link #specSupplier()}. The spec's name is a prefix: every guest gets a unique name, so tests may run
 * in parallel. File disks of a spec are used through qcow2 overlays ({@link #overlayDisks()}), so tests never
 * change the images they name.
 *
 * <pre>{@code
 * class ShellTest {
 *     @KvmjGuest
 *     static Guest guest;                      // one demo guest for the class
 *
 *     @Test
 *     void kernelAnswers() {
 *         assertEquals("Linux", GuestShell.of(guest).run("uname -s").strip());
 *     }
 * }
 * }</pre>
 *
 * <p>When QEMU ({@code qemu-system-x86_64}) or a guest kernel is missing, the test is skipped (aborted), or fails
 * when the environment variable {@code CI=true} or the system property {@code kvmj.junit5.missing=fail} is set
 * ({@link MissingHostPolicy}). A missing {@code /dev/kvm} is not a reason to skip: the launcher's host probe picks
 * TCG. When a test fails, the console log tail and QEMU's stderr of the guests it used are published as report
 * entries and printed to the test's standard error (which surefire and failsafe keep in their reports).
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.FIELD, ElementType.PARAMETER})
@ExtendWith(KvmjExtension.class)
public @interface KvmjGuest {
    /** A built-in image; ignored (and must stay the default) when {@link #spec()} or {@link #specSupplier()} is set. */
    GuestImage image() default GuestImage.DEMO;

    /** Name of a static no-argument method of the test class (or a superclass) returning a {@link GuestSpec}. */
    String spec() default "";

    /** A class with a public no-argument constructor supplying the {@link GuestSpec}. */
    Class<? extends Supplier<GuestSpec>> specSupplier() default NoSpecSupplier.class;

    /**
     * A console regex to wait for after launch before the test runs (spec guests; the built-in images have their
     * own readiness marker). Empty: ready once QMP answers.
     */
    String ready() default "";

    /** Bound on launch plus readiness, in seconds. */
    int bootTimeoutSeconds() default 300;

    /**
     * Use every writable file disk of a spec through a fresh qcow2 overlay (backing file: the disk) in a private
     * work directory, deleted with the guest. Default true.
     */
    boolean overlayDisks() default true;

    /** The "no supplier" marker of {@link #specSupplier()}. */
    final class NoSpecSupplier implements Supplier<GuestSpec> {
        private NoSpecSupplier() {}

        @Override
        public GuestSpec get() {
            throw new UnsupportedOperationException("marker class");
        }
    }
}
