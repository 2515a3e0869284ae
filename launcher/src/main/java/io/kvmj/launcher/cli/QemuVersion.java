package io.kvmj.launcher.cli;

import io.kvmj.launcher.LaunchOptions;
import io.kvmj.launcher.demo.KvmjCache;
import io.kvmj.launcher.process.Executables;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The QEMU line of {@code kvmj --version}: the first line of {@code qemu-system-x86_64 --version} and the binary's
 * path. Running QEMU costs more than the rest of {@code kvmj --version}, so the answer is kept in
 * {@code ~/.cache/kvmj/qemu-version/} ({@link QemuFactCache}: keyed by the binary's identity, so a QEMU that is
 * upgraded, replaced or touched is asked again; the line printed is always what this very file answered).
 *
 * <pre>{@code String line = QemuVersion.describe(); // "QEMU emulator version 7.2.22 (...) (/usr/bin/qemu-system-x86_64)"}</pre>
 */
final class QemuVersion {
    private QemuVersion() {}

    /** The version line and path of the QEMU on the PATH, or why there is none. */
    static String describe() {
        Optional<Path> bin = Executables.find(LaunchOptions.DEFAULT_QEMU);
        if (bin.isEmpty()) {
            return "not found (" + LaunchOptions.DEFAULT_QEMU + " is not on the PATH)";
        }
        return describe(bin.get(), KvmjCache.defaultRoot(System.getenv()).resolve("qemu-version"));
    }

    /** The version line of {@code bin}, from {@code cacheDir} when the same file answered before. */
    static String describe(Path bin, Path cacheDir) {
        String[] failure = new String[1];
        Optional<String> line = QemuFactCache.in(cacheDir).get(bin, b -> {
            String l = ask(b);
            if (l.startsWith("QEMU emulator version ")) {
                return Optional.of(l);
            }
            failure[0] = l; // printed, never cached
            return Optional.empty();
        });
        return line.map(String::strip).orElse(failure[0]) + " (" + bin + ")";
    }

    /** The first line of {@code bin --version}, or why it could not be run. */
    private static String ask(Path bin) {
        try {
            Process p = new ProcessBuilder(bin.toString(), "--version").redirectErrorStream(true).start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
            return out.lines().findFirst().orElse("?").strip();
        } catch (IOException e) {
            return "cannot run it: " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }
}
