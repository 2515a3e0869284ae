package io.kvmj.launcher.cli;

import io.kvmj.core.model.GuestSpec;
import io.kvmj.core.spec.GuestSpecJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads a spec file for {@code --spec FILE} ({@code -} = stdin): a spec object or a whole {@code run --dry-run --json}. */
final class SpecFiles {
    private SpecFiles() {}

    static String readText(String file) throws IOException {
        if (file.equals("-")) {
            return new String(System.in.readAllBytes(), StandardCharsets.UTF_8);
        }
        return Files.readString(Path.of(file), StandardCharsets.UTF_8);
    }

    /**
     * @throws IOException the file cannot be read
     * @throws io.kvmj.core.model.InvalidSpecException the file is not a kvmj spec
     */
    static GuestSpec read(String file) throws IOException {
        return GuestSpecJson.read(readText(file));
    }
}
