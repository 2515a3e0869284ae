package io.kvmj.launcher.testutil;

import java.nio.file.Path;

/** Test-wide runtime directory so tests never collide with a user's real guests. */
public final class TestRuntime {
    private TestRuntime() {}

    /** Points {@code kvmj.runtime.dir} at a short per-JVM directory under /tmp (unix socket paths are short). */
    public static Path use() {
        Path p = Path.of("/tmp", "kvmj-test-" + ProcessHandle.current().pid());
        if (System.getProperty("kvmj.runtime.dir") == null) {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> p.toFile().delete())); // only if empty
        }
        System.setProperty("kvmj.runtime.dir", p.toString());
        return p;
    }
}
