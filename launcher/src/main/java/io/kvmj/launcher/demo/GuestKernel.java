package io.kvmj.launcher.demo;

import java.nio.file.Path;
import java.util.Optional;

/**
 * The kernel the demo guest boots and the modules that go into its initramfs.
 *
 * @param kernel  the bzImage
 * @param release kernel release read from the bzImage header, if known
 * @param source  where it was found
 * @param modules modules to load in the guest (may be empty: built-in drivers)
 */
public record GuestKernel(Path kernel, Optional<String> release, Source source, ModuleSet modules) {
    /** Where a demo kernel came from, in lookup order. */
    public enum Source {
        /** the {@code --kernel} option */
        OPTION("--kernel"),
        /** the {@code KVMJ_KERNEL} environment variable */
        ENV("$KVMJ_KERNEL"),
        /** {@code /boot/vmlinuz-$(uname -r)} */
        BOOT("/boot/vmlinuz-$(uname -r)"),
        /** a Debian kernel already in the kvmj cache */
        DEBIAN_CACHE("Debian kernel cached in the kvmj cache"),
        /** a Debian kernel downloaded by this run */
        DEBIAN_DOWNLOAD("Debian kernel downloaded with apt-get");

        private final String label;

        Source(String label) {
            this.label = label;
        }

        /** Human description of the source. */
        public String label() {
            return label;
        }
    }

    /** One line for summaries: "path (release, source)". */
    public String describe() {
        return kernel + " (" + release.orElse("unknown release") + ", " + source.label() + ")";
    }
}
