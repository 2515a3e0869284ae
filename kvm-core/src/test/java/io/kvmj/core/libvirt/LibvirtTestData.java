package io.kvmj.core.libvirt;

import io.kvmj.testsupport.HostTools;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assertions;

/**
 * libvirt's own test domains ({@code tests/qemuxml2argvdata/NAME.xml}), read from Debian's source tarball of the
 * libvirt version Debian 12 ships (9.0.0), so kvmj's import is checked against documents it did not write without
 * copying them into the repository. The tarball is downloaded once into the kvmj cache
 * ({@code $XDG_CACHE_HOME/kvmj/libvirt/}, default {@code ~/.cache/kvmj}): written to a temporary file beside it,
 * its SHA-256 checked, then renamed into place, so no partial file is ever seen under the final name. Its SHA-256 is
 * checked again before each use, and only the wanted members are extracted (by {@code tar -xJf}).
 *
 * <pre>{@code
 * Map<String, String> xml = LibvirtTestData.domains(); // "disk-cache.xml" -> its text
 * DomainImport i = DomainXml.importXml(xml.get("disk-cache.xml"));
 * }</pre>
 *
 * <p>If the tarball cannot be downloaded (no network), the calling test is aborted, or failed under {@code CI=true}
 * ({@link HostTools#missing}). A download whose SHA-256 differs fails the test.
 */
final class LibvirtTestData {
    static final String VERSION = "9.0.0";
    static final String TARBALL = "libvirt_" + VERSION + ".orig.tar.xz";
    static final URI URL = URI.create("http://deb.debian.org/debian/pool/main/libv/libvirt/" + TARBALL);
    static final String SHA256 = "deca5cff1b7baac297bca9663907c61f71a47183371dc7ac019c107806d5435a";
    static final String MEMBER_DIR = "libvirt-" + VERSION + "/tests/qemuxml2argvdata/";

    /** The documents the import test reads, by file name. */
    static final List<String> FILES = List.of("channel-virtio.xml", "disk-cache.xml", "disk-discard.xml",
            "disk-serial.xml", "fs9p.xml", "graphics-vnc.xml", "hostdev-pci-address.xml", "hostdev-usb-address.xml",
            "hugepages-default.xml", "net-user.xml", "net-virtio.xml", "numatune-memory.xml", "q35.xml",
            "serial-unix-chardev.xml");

    private static Map<String, String> loaded;

    private LibvirtTestData() {}

    /** File name → text of each of {@link #FILES}, read once per JVM (see the class comment for skip rules). */
    static synchronized Map<String, String> domains() throws IOException {
        if (loaded == null) {
            HostTools.require("tar");
            HostTools.require("xz");
            loaded = extract(tarball(cacheRoot().resolve("libvirt")), FILES);
        }
        return loaded;
    }

    /** {@code $XDG_CACHE_HOME/kvmj}, or {@code ~/.cache/kvmj} (as the launcher's KvmjCache). */
    static Path cacheRoot() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        if (xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()) {
            return Path.of(xdg, "kvmj");
        }
        return Path.of(System.getenv().getOrDefault("HOME", System.getProperty("user.home")), ".cache", "kvmj");
    }

    /** The verified tarball in {@code dir}, downloaded first if it is missing or its SHA-256 is wrong. */
    static Path tarball(Path dir) throws IOException {
        Path target = dir.resolve(TARBALL);
        if (Files.isRegularFile(target) && SHA256.equals(sha256(target))) {
            return target;
        }
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, ".tmp-" + TARBALL + "-", "");
        try {
            download(tmp);
            String got = sha256(tmp);
            Assertions.assertEquals(SHA256, got, URL + ": SHA-256 of the download");
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return target;
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static void download(Path to) throws IOException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(20))
                .followRedirects(HttpClient.Redirect.NORMAL).build();
        HttpRequest req = HttpRequest.newBuilder(URL).timeout(Duration.ofMinutes(5)).build();
        HttpResponse<InputStream> resp;
        try {
            resp = http.send(req, HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            HostTools.missing("cannot download " + URL + ": " + e);
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted downloading " + URL, e);
        }
        try (InputStream in = resp.body(); OutputStream out = Files.newOutputStream(to)) {
            if (resp.statusCode() != 200) {
                HostTools.missing("cannot download " + URL + ": HTTP " + resp.statusCode());
            }
            in.transferTo(out);
        } catch (IOException e) {
            HostTools.missing("download of " + URL + " broke off: " + e);
        }
    }

    static String sha256(Path file) throws IOException {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }

    /** Extracts {@code names} from {@link #MEMBER_DIR} of the tarball into a temporary directory and reads them. */
    private static Map<String, String> extract(Path tarball, List<String> names) throws IOException {
        if (!SHA256.equals(sha256(tarball))) {
            Assertions.fail(tarball + ": SHA-256 changed after download");
        }
        Path tmp = Files.createTempDirectory("kvmj-libvirt-testdata-");
        try {
            List<String> cmd = new ArrayList<>(List.of("tar", "-xJf", tarball.toString(), "-C", tmp.toString(),
                    "--strip-components=3"));
            names.forEach(n -> cmd.add(MEMBER_DIR + n));
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(2, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                Assertions.fail(String.join(" ", cmd) + ": still running after 2 minutes");
            }
            Assertions.assertEquals(0, p.exitValue(), String.join(" ", cmd) + ": " + out);
            Map<String, String> result = new LinkedHashMap<>();
            for (String n : names) {
                result.put(n, Files.readString(tmp.resolve(n), StandardCharsets.UTF_8));
            }
            try (var s = Files.list(tmp)) {
                Assertions.assertEquals(Set.copyOf(names),
                        Set.copyOf(s.map(f -> f.getFileName().toString()).toList()), "only the named members");
            }
            return Collections.unmodifiableMap(result);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted extracting " + tarball, e);
        } finally {
            try (var s = Files.list(tmp)) {
                for (Path f : s.toList()) {
                    Files.deleteIfExists(f);
                }
            }
            Files.deleteIfExists(tmp);
        }
    }
}
