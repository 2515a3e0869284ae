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
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * The spec a guest was launched from, kept as {@code spec.json} ({@link GuestSpecJson}) in its runtime directory
 * so another process ({@code kvmj migrate}, {@code kvmj save}) can start the same guest again. Guests launched from
 * a raw argv have none.
 */
public final class SpecFile {
    /** File name in the runtime directory. */
    public static final String NAME = "spec.json";
    /** {@link RuntimeDir#vncPasswordFile()}'s name. */
    private static final String VNC_SECRET = "vnc.secret";

    private SpecFile() {
    }

    /** Writes {@code spec} (the caller's spec, before kvmj's runtime parts) into {@code dir}. */
    public static void write(RuntimeDir dir, GuestSpec spec) {
        write(dir.path(), spec);
    }

    /**
     * Writes {@code spec} as {@code dir/spec.json} atomically: a temporary file in {@code dir}, then a rename over
     * the old one, so a reader sees the old or the new spec, never a partial one.
     */
    public static void write(Path dir, GuestSpec spec) {
        Path target = dir.resolve(NAME);
        Path tmp = dir.resolve(NAME + ".tmp-" + ProcessHandle.current().pid());
        try {
            Files.writeString(tmp, GuestSpecJson.write(spec), StandardCharsets.UTF_8);
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // the write's error is the one to report
            }
            throw new UncheckedIOException("cannot write " + target, e);
        }
    }

    /**
     * The recorded spec of the guest in {@code dir} with what {@code spec.json} leaves out so a QEMU started from
     * it is the same guest: a VNC password given as text, read back from the directory's 0600
     * {@link RuntimeDir#vncPasswordFile()} (QEMU's {@code -object secret,file=}, kept while the guest runs). For
     * {@code kvmj migrate} and {@code save}; never print or export what this returns.
     */
    public static Optional<GuestSpec> readWithSecrets(Path dir) {
        return read(dir).map(spec -> {
            if (spec.vnc() == null || spec.vnc().password() != null || spec.vnc().passwordFile() != null) {
                return spec;
            }
            Path secret = dir.resolve(VNC_SECRET);
            if (!Files.isRegularFile(secret)) {
                return spec;
            }
            try {
                return spec.toBuilder().vnc(spec.vnc().withPassword(Files.readString(secret, StandardCharsets.UTF_8)))
                        .build();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the guest's VNC password " + secret, e);
            }
        });
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
