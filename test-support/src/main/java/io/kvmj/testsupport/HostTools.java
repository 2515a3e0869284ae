package io.kvmj.testsupport;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * The one rule of kvmj's tests for what the host lacks: a missing tool aborts the test (reported as skipped), and
 * fails it under {@code CI=true}, where the test command has installed everything.
 *
 * <pre>{@code
 * Path qemu = HostTools.require("qemu-system-x86_64");
 * HostTools.require("qemu-img");
 * if (!Files.exists(Path.of("/dev/loop-control"))) {
 *     HostTools.missing("no loop devices");
 * }
 * }</pre>
 */
public final class HostTools {
    /** The system emulator every QEMU test runs. */
    public static final String QEMU = "qemu-system-x86_64";

    private HostTools() {}

    /** The executable {@code name} found on PATH, or the test is aborted (failed under CI=true). */
    public static Path require(String name) {
        return find(name).orElseGet(() -> {
            missing(name + " not found on PATH");
            return null;
        });
    }

    /** The executable {@code name} on PATH, if any. */
    public static Optional<Path> find(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, name))) {
                return Optional.of(Path.of(dir, name));
            }
        }
        return Optional.empty();
    }

    /** Fails (CI=true) or aborts with {@code why}. */
    public static void missing(String why) {
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            Assertions.fail(why + " (CI=true: the test command installs it)");
        }
        Assumptions.abort(why);
    }
}
