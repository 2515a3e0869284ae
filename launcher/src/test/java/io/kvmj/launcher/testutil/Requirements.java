package io.kvmj.launcher.testutil;

import io.kvmj.testsupport.HostTools;
import java.nio.file.Path;

/** Test preconditions: missing tools fail under CI=true, else abort the test (kvmj's one rule, {@link HostTools}). */
public final class Requirements {
    private Requirements() {}

    /** The QEMU x86_64 binary, or fail/abort. */
    public static Path qemu() {
        return HostTools.require(HostTools.QEMU);
    }

    /** The demo guest's kernel for this host (cached Debian kernel), or fail/abort when there is none. */
    public static io.kvmj.launcher.demo.GuestKernel guestKernel() {
        try {
            return io.kvmj.launcher.demo.KernelLocator.forThisHost().locate(null);
        } catch (io.kvmj.launcher.demo.DemoException e) {
            missing("no guest kernel: " + e.getMessage());
            return null;
        }
    }

    /** Fails (CI=true) or aborts with {@code why}. */
    public static void missing(String why) {
        HostTools.missing(why);
    }

    /** True while a process with that pid exists and is not a zombie. */
    public static boolean alive(long pid) {
        return io.kvmj.launcher.process.Pids.alive(pid);
    }
}
