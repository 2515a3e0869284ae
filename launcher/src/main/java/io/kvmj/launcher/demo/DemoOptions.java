package io.kvmj.launcher.demo;

import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * How to run the demo guest.
 *
 * @param kernel     explicit kernel ({@code --kernel}), or null to locate one
 * @param timeout    upper bound for the whole guest run; QEMU is killed after it
 * @param keepWorkDir keep the work directory (initrd, disk, share, console.log) after the run
 * @param workParent directory to create the work directory in, or null for {@code java.io.tmpdir}
 * @param console    receives every console line as it arrives, or null
 */
public record DemoOptions(Path kernel, Duration timeout, boolean keepWorkDir, Path workParent,
                          Consumer<String> console) {
    /** Default timeout: generous for TCG on a busy host. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(180);

    public DemoOptions {
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive: " + timeout);
        }
    }

    /** Locate the kernel, 180 s timeout, temporary work dir removed afterwards, console not echoed. */
    public static DemoOptions defaults() {
        return new DemoOptions(null, DEFAULT_TIMEOUT, false, null, null);
    }

    public DemoOptions withKernel(Path k) {
        return new DemoOptions(k, timeout, keepWorkDir, workParent, console);
    }

    public DemoOptions withTimeout(Duration t) {
        return new DemoOptions(kernel, t, keepWorkDir, workParent, console);
    }

    public DemoOptions withKeepWorkDir(boolean keep) {
        return new DemoOptions(kernel, timeout, keep, workParent, console);
    }

    public DemoOptions withWorkParent(Path dir) {
        return new DemoOptions(kernel, timeout, keepWorkDir, dir, console);
    }

    public DemoOptions withConsole(Consumer<String> c) {
        return new DemoOptions(kernel, timeout, keepWorkDir, workParent, c);
    }
}
