package io.kvmj.launcher.testutil;

import java.nio.file.Path;

/** Test-wide runtime directory so tests never collide with a user's real guests. */
public final class TestRuntime {
    private TestRuntime() {}

    /** Points {@code kvmj.runtime.dir} at a short per-JVM directory under /tmp (unix socket paths are short). */
    public static Path use() {
        Path p = Path.of("/tmp", "kvmj-test-" + ProcessHandle.current().pid());
        System.setProperty("kvmj.runtime.dir", p.toString());
        return p;
    }
}
