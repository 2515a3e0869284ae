package io.kvmj.launcher.testutil;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.abort;

import io.kvmj.launcher.process.Executables;
import java.nio.file.Path;

/** Test preconditions: missing tools fail under CI=true, else abort the test. */
public final class Requirements {
    private Requirements() {}

    /** The QEMU x86_64 binary, or fail/abort. */
    public static Path qemu() {
        return Executables.find("qemu-system-x86_64").orElseGet(() -> {
            missing("qemu-system-x86_64 not found on PATH");
            return null;
        });
    }

    /** Fails (CI=true) or aborts with {@code why}. */
    public static void missing(String why) {
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            fail(why);
        }
        abort(why);
    }

    /** True while a process with that pid exists and is not a zombie. */
    public static boolean alive(long pid) {
        return io.kvmj.launcher.process.Pids.alive(pid);
    }
}
