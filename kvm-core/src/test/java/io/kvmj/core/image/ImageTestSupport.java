package io.kvmj.core.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;

/** Shared helpers: tool availability, independent observers (qemu-io, stat) for test assertions. */
public final class ImageTestSupport {
    private ImageTestSupport() {}

    /** True if {@code tool} is on the PATH. */
    public static boolean hasTool(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
            if (java.nio.file.Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }

    /** Skips (or fails under CI=true) when {@code tool} is not on the PATH. */
    public static void requireTool(String tool) {
        if (!hasTool(tool)) {
            if ("true".equals(System.getenv("CI"))) {
                fail(tool + " is not installed but CI=true: install qemu-utils / qemu-system-x86");
            }
            Assumptions.abort(tool + " not installed");
        }
    }

    /** Runs a command, returns stdout+stderr; fails the test on a non-zero exit code. */
    public static String exec(String... argv) {
        Result r = execRaw(argv);
        if (r.code != 0) {
            fail(String.join(" ", argv) + " exited " + r.code + ": " + r.output);
        }
        return r.output;
    }

    /** Exit code and combined output of a command. */
    public record Result(int code, String output) {
    }

    public static Result execRaw(String... argv) {
        try {
            Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return new Result(p.waitFor(), out);
        } catch (IOException e) {
            throw new AssertionError("cannot run " + List.of(argv), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Writes a byte pattern into an image through qemu-io (an observer independent of kvmj). */
    public static void qemuIoWrite(Path image, String format, int pattern, String offset, String length) {
        exec("qemu-io", "-f", format, "-c", "write -P " + pattern + " " + offset + " " + length, image.toString());
    }

    /** True if qemu-io reads back {@code pattern} at the range. */
    public static boolean qemuIoHasPattern(Path image, String format, int pattern, String offset, String length) {
        List<String> a = new ArrayList<>(List.of("qemu-io", "-r", "-f", format, "-c",
            "read -P " + pattern + " " + offset + " " + length, image.toString()));
        Result r = execRaw(a.toArray(String[]::new));
        return r.code == 0 && !r.output.contains("verification failed");
    }

    /** Bytes allocated on the host filesystem, as stat(1) sees it (st_blocks * block unit). */
    public static long allocatedBytes(Path file) {
        String[] f = exec("stat", "-c", "%b %B", file.toString()).trim().split("\\s+");
        return Long.parseLong(f[0]) * Long.parseLong(f[1]);
    }

    /** Asserts two images have the same guest-visible content according to {@code qemu-img compare}. */
    public static void assertSameContent(Path a, Path b) {
        Result r = execRaw("qemu-img", "compare", a.toString(), b.toString());
        assertEquals(0, r.code, "qemu-img compare: " + r.output);
    }
}
