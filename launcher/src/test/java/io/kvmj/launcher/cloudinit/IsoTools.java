package io.kvmj.launcher.cloudinit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kvmj.launcher.process.Executables;
import io.kvmj.launcher.testutil.Requirements;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs the real ISO tools (genisoimage's isoinfo, xorriso, bsdtar, blkid) the tests check images with. */
final class IsoTools {
    private IsoTools() {}

    /** Fails (CI) or aborts unless {@code tool} is on PATH; {@code pkg} is the Debian package to install. */
    static void require(String tool, String pkg) {
        if (Executables.find(tool).isEmpty() && !new java.io.File("/usr/sbin/" + tool).canExecute()
                && !new java.io.File("/sbin/" + tool).canExecute()) {
            Requirements.missing(tool + " not found (apt-get install " + pkg + "; scripts/bootstrap --tests)");
        }
    }

    /** stdout of {@code cmd} as bytes; fails the test on a non-zero exit, with stderr. */
    static byte[] runBytes(String... cmd) {
        try {
            Process p = new ProcessBuilder(List.of(cmd)).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .start();
            CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()));
            byte[] out = readAll(p.getInputStream());
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError(String.join(" ", cmd) + ": timed out");
            }
            assertEquals(0, p.exitValue(), () -> String.join(" ", cmd) + " failed: "
                    + new String(err.join(), StandardCharsets.UTF_8));
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** stdout of {@code cmd} as UTF-8 text. */
    static String run(String... cmd) {
        return new String(runBytes(cmd), StandardCharsets.UTF_8);
    }

    private static byte[] readAll(InputStream in) {
        try (in) {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            in.transferTo(b);
            return b.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
