package io.kvmj.launcher.cli;

import io.kvmj.launcher.process.Executables;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.IVersionProvider;

/**
 * {@code kvmj --version}: the kvmj version (jar manifest; {@code dev} when run from classes), the Java runtime, and
 * the QEMU that {@code kvmj run} would use (its path and {@code --version} line).
 */
public final class VersionProvider implements IVersionProvider {
    @Override
    public String[] getVersion() {
        String v = KvmjCommand.class.getPackage().getImplementationVersion();
        return new String[] {"kvmj " + (v == null ? "dev (not built as a jar)" : v),
            "java " + Runtime.version() + " (" + System.getProperty("java.vendor", "?") + ")",
            "qemu " + qemu()};
    }

    private static String qemu() {
        Optional<Path> bin = Executables.find("qemu-system-x86_64");
        if (bin.isEmpty()) {
            return "not found (qemu-system-x86_64 is not on the PATH)";
        }
        try {
            Process p = new ProcessBuilder(bin.get().toString(), "--version").redirectErrorStream(true).start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
            return out.lines().findFirst().orElse("?").strip() + " (" + bin.get() + ")";
        } catch (java.io.IOException e) {
            return bin.get() + " (cannot run it: " + e.getMessage() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return bin.get().toString();
        }
    }
}
