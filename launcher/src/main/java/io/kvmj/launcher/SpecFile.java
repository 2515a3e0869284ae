package io.kvmj.launcher;

import io.kvmj.core.model.GuestSpec;
import io.kvmj.core.spec.GuestSpecJson;
import io.kvmj.launcher.process.RuntimeDir;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The spec a guest was launched from, kept as {@code spec.json} ({@link GuestSpecJson}) in its runtime directory
 * so another process ({@code kvmj migrate}, {@code kvmj save}) can start the same guest again. Guests launched from
 * a raw argv have none.
 */
public final class SpecFile {
    /** File name in the runtime directory. */
    public static final String NAME = "spec.json";

    private SpecFile() {
    }

    /** Writes {@code spec} (the caller's spec, before kvmj's runtime parts) into {@code dir}. */
    public static void write(RuntimeDir dir, GuestSpec spec) {
        try {
            Files.writeString(dir.path().resolve(NAME), GuestSpecJson.write(spec), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + dir.path().resolve(NAME), e);
        }
    }

    /** The recorded spec of the guest in {@code dir}, or empty when it has none. */
    public static Optional<GuestSpec> read(Path dir) {
        try {
            return Optional.of(GuestSpecJson.read(Files.readString(dir.resolve(NAME), StandardCharsets.UTF_8)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + dir.resolve(NAME), e);
        }
    }
}
