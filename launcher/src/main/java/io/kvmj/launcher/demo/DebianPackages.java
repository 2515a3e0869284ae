package io.kvmj.launcher.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Fetches Debian packages with the ordinary apt client ({@code apt-get download}, no root needed) and unpacks
 * them with {@code dpkg-deb -x}. Used for the demo kernel and, when the host has none, a static busybox.
 */
public final class DebianPackages {
    private static final Duration QUERY_TIMEOUT = Duration.ofMinutes(1);
    private static final Duration DOWNLOAD_TIMEOUT = Duration.ofMinutes(10);
    private static final Pattern DEPENDS = Pattern.compile("(?m)^\\s*\\|?Depends:\\s*(\\S+)");
    private static final Pattern CANDIDATE = Pattern.compile("(?m)^\\s*Candidate:\\s*(\\S+)");

    private DebianPackages() {}

    /** The concrete package a metapackage depends on whose name starts with {@code prefix}. */
    public static String resolveMetapackage(String meta, String prefix) {
        ProcessRunner.Result r = ProcessRunner.run(List.of("apt-cache", "depends", meta), null, QUERY_TIMEOUT);
        if (!r.ok()) {
            throw noPackage(meta, r.describe());
        }
        Matcher m = DEPENDS.matcher(r.stdout());
        while (m.find()) {
            if (m.group(1).startsWith(prefix)) {
                return m.group(1);
            }
        }
        throw noPackage(meta, "'apt-cache depends " + meta + "' lists no " + prefix + "* dependency");
    }

    /** The version apt would download for {@code pkg}. */
    public static String candidateVersion(String pkg) {
        ProcessRunner.Result r = ProcessRunner.run(List.of("apt-cache", "policy", pkg), null, QUERY_TIMEOUT);
        Matcher m = CANDIDATE.matcher(r.stdout());
        if (!r.ok() || !m.find() || m.group(1).equals("(none)")) {
            throw noPackage(pkg, r.ok() ? "apt has no candidate version for " + pkg : r.describe());
        }
        return m.group(1);
    }

    /** Downloads {@code pkg} into {@code dir} and returns the .deb file. */
    public static Path download(String pkg, Path dir) throws IOException {
        ProcessRunner.Result r = ProcessRunner.run(List.of("apt-get", "download", "-q", pkg), dir, DOWNLOAD_TIMEOUT);
        if (!r.ok()) {
            throw new DemoException("could not download Debian package " + pkg + ": " + r.describe());
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().startsWith(pkg + "_")
                    && p.getFileName().toString().endsWith(".deb"))
                .findFirst()
                .orElseThrow(() -> new DemoException("'apt-get download " + pkg + "' produced no .deb in " + dir));
        }
    }

    /** Unpacks the data part of a .deb into {@code dest}. */
    public static void extract(Path deb, Path dest) throws IOException {
        Files.createDirectories(dest);
        ProcessRunner.Result r = ProcessRunner.run(
            List.of("dpkg-deb", "-x", deb.toString(), dest.toString()), null, DOWNLOAD_TIMEOUT);
        if (!r.ok()) {
            throw new DemoException("could not unpack " + deb + ": " + r.describe());
        }
    }

    /** True when apt has downloaded package lists (a fresh container often has none). */
    public static boolean haveLists() {
        try (Stream<Path> s = Files.list(Path.of("/var/lib/apt/lists"))) {
            return s.anyMatch(p -> p.getFileName().toString().contains("_Packages"));
        } catch (IOException e) {
            return false;
        }
    }

    private static DemoException noPackage(String pkg, String detail) {
        String hint = haveLists()
            ? ""
            : " apt has no package lists: run 'apt-get update' (as root) and retry.";
        return new DemoException("cannot find Debian package " + pkg + " (" + detail.strip() + ")." + hint
            + " Alternatively pass --kernel PATH or set KVMJ_KERNEL.");
    }
}
