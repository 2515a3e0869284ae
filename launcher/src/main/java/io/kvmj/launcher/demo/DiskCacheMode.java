package io.kvmj.launcher.demo;

import com.sun.nio.file.ExtendedOpenOption;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The QEMU cache mode for the scratch disk: {@code none} (O_DIRECT, bypasses the host page cache) when the
 * directory's filesystem accepts O_DIRECT (tmpfs does not), else {@code writeback} with the reason stated.
 *
 * @param mode   QEMU {@code cache=} value
 * @param reason why
 */
public record DiskCacheMode(String mode, String reason) {
    /** Probes {@code dir} by opening a scratch file in it with O_DIRECT. */
    public static DiskCacheMode probe(Path dir) {
        Path probe = dir.resolve(".kvmj-odirect-probe");
        String fs = describe(dir);
        try {
            Files.deleteIfExists(probe);
            try (FileChannel ch = FileChannel.open(probe, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                    ExtendedOpenOption.DIRECT)) {
                ch.force(false);
                return new DiskCacheMode("none", fs + " supports O_DIRECT");
            }
        } catch (IOException | UnsupportedOperationException e) {
            return new DiskCacheMode("writeback", fs + " rejects O_DIRECT ("
                + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage())
                + "): falling back to cache=writeback");
        } finally {
            try {
                Files.deleteIfExists(probe);
            } catch (IOException ignored) {
                // best effort
            }
        }
    }

    private static String describe(Path dir) {
        try {
            return "the " + Files.getFileStore(dir).type() + " filesystem holding " + dir;
        } catch (IOException e) {
            return "the filesystem holding " + dir;
        }
    }
}
