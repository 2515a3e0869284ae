package io.kvmj.launcher.realos;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvmj.launcher.migrate.MigrationProgress;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;

/** Small helpers for {@link DebianGuestIT}'s moves: file hashes, waits, free ports. */
final class MoveHelpers {

    private MoveHelpers() {
    }

    /** Waits (up to 4 minutes) until a progress report says some bytes went out. */
    static void awaitSent(List<MigrationProgress> seen) {
        long deadline = System.nanoTime() + Duration.ofMinutes(4).toNanos();
        while (seen.stream().noneMatch(p -> p.transferredBytes() > 0) && System.nanoTime() < deadline) {
            sleep(100);
        }
        assertTrue(seen.stream().anyMatch(p -> p.transferredBytes() > 0), "the stream began: " + seen);
    }

    static String sha256(Path f) throws IOException {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        try (InputStream in = Files.newInputStream(f)) {
            byte[] b = new byte[1 << 20];
            for (int n; (n = in.read(b)) > 0; ) {
                md.update(b, 0, n);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
