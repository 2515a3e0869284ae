package io.kvmj.launcher.testutil;

import java.nio.file.Path;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Points {@code kvmj.runtime.dir} at a directory of the test's own for each test and restores the previous value
 * afterwards, so a unit test's guests never meet another test's or a user's.
 *
 * <pre>{@code
 * @TempDir Path tmp;
 * @RegisterExtension final RuntimeDirProperty runtime = RuntimeDirProperty.at(() -> tmp.resolve("rt"));
 * }</pre>
 */
public final class RuntimeDirProperty implements BeforeEachCallback, AfterEachCallback {
    private static final String KEY = "kvmj.runtime.dir";
    private final Supplier<Path> dir;
    private String previous;

    private RuntimeDirProperty(Supplier<Path> dir) {
        this.dir = dir;
    }

    /** {@code dir} is asked before each test (after {@code @TempDir} fields are set). */
    public static RuntimeDirProperty at(Supplier<Path> dir) {
        return new RuntimeDirProperty(dir);
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        previous = System.getProperty(KEY);
        System.setProperty(KEY, dir.get().toString());
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (previous == null) {
            System.clearProperty(KEY);
        } else {
            System.setProperty(KEY, previous);
        }
    }
}
