package io.kvmj.launcher.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/**
 * {@code kvmj --version}: the kvmj version and the git commit it was built from (with {@code +dirty} when the tree
 * had uncommitted changes), the Java runtime, and the QEMU that {@code kvmj run} would use (its path and
 * {@code --version} line, see {@link QemuVersion}).
 *
 * <pre>
 * kvmj 0.1.0-SNAPSHOT (git 363c5e0f1a2b)
 * java 17.0.15+6-Debian-1deb12u1 (Debian)
 * qemu QEMU emulator version 7.2.22 (Debian 1:7.2+dfsg-7+deb12u18+b3) (/usr/bin/qemu-system-x86_64)
 * </pre>
 */
public final class VersionProvider implements IVersionProvider {
    @Override
    public String[] getVersion() {
        return new String[] {"kvmj " + kvmj(),
            "java " + System.getProperty("java.runtime.version", "?") + " (" + System.getProperty("java.vendor", "?") + ")",
            "qemu " + QemuVersion.describe()};
    }

    /** {@code VERSION (git COMMIT[+dirty])} from the build's {@code kvmj-build.properties}. */
    static String kvmj() {
        Properties p = new Properties();
        try (InputStream in = VersionProvider.class.getResourceAsStream("kvmj-build.properties")) {
            if (in == null) {
                return "dev (not built by Maven)";
            }
            p.load(in);
        } catch (IOException e) {
            return "? (cannot read kvmj-build.properties: " + e.getMessage() + ")";
        }
        String version = filled(p.getProperty("version"));
        String commit = filled(p.getProperty("commit"));
        if (commit != null && !("0".equals(filled(p.getProperty("result"))) && commit.matches("[0-9a-f]{7,40}"))) {
            commit = null;
        }
        String git = commit == null ? "git commit unknown: not built in a git checkout"
                : "git " + commit + ("true".equals(filled(p.getProperty("dirty"))) ? "+dirty" : "");
        return (version == null ? "?" : version) + " (" + git + ")";
    }

    /** A value the build filled in, or null (missing, empty, or left as {@code ${...}}). */
    private static String filled(String v) {
        return v == null || v.isBlank() || v.contains("${") ? null : v.strip();
    }
}
