package io.kvmj.launcher.osimage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvmj.core.image.ByteSize;
import io.kvmj.core.image.ImageFormat;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Validation of the build's inputs (release, size, format, packages, hostname, passwords, ssh keys) and the cache key. */
class ImageBuildSpecTest {
    private static final String KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBcvf6G2o1SMXW4pFj0Y8e8l6a0ZyYxk3R4nKqfA2o1x me@host";

    @TempDir
    Path dir;

    @Test
    void releasesByNameOrSuiteAndUnknownListsTheKnown() {
        assertEquals(DebianRelease.DEBIAN_12, DebianRelease.of("debian-12"));
        assertEquals(DebianRelease.DEBIAN_12, DebianRelease.of("bookworm"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DebianRelease.of("ubuntu-24.04"));
        assertEquals("unknown OS 'ubuntu-24.04'; known: debian-12", e.getMessage());
    }

    @Test
    void defaultsAndPackageSet() {
        ImageBuildSpec s = ImageBuildSpec.builder(DebianRelease.DEBIAN_12, Path.of("x.qcow2")).install("vim", "curl", "vim").build();
        assertEquals(ByteSize.ofGiB(4), s.size());
        assertEquals(ImageFormat.QCOW2, s.format());
        assertEquals(RootPassword.Kind.RANDOM, s.rootPassword().kind());
        assertEquals("debian", s.hostname());
        assertEquals(List.of("curl", "vim"), s.extraPackages());
        assertTrue(s.packages().containsAll(DebianBase.PACKAGES));
        assertTrue(s.packages().contains("vim"));
        assertEquals(s.packages().stream().sorted().distinct().toList(), s.packages());
    }

    @Test
    void badInputsAreRefused() {
        ImageBuildSpec.Builder b = ImageBuildSpec.builder(DebianRelease.DEBIAN_12, Path.of("x"));
        assertThrows(IllegalArgumentException.class, () -> b.format(ImageFormat.VMDK).build());
        assertThrows(IllegalArgumentException.class, () -> ImageBuildSpec.builder(DebianRelease.DEBIAN_12, Path.of("x"))
            .size(ByteSize.ofBytes(4L * 1024 * 1024 * 1024 + 1)).build());
        for (String bad : List.of("", "-x", "a b", "a_b", "x".repeat(64), "a..b")) {
            assertThrows(IllegalArgumentException.class,
                () -> ImageBuildSpec.builder(DebianRelease.DEBIAN_12, Path.of("x")).hostname(bad).build(), bad);
        }
        assertEquals("web-1.example.org", ImageBuildSpec.builder(DebianRelease.DEBIAN_12, Path.of("x"))
            .hostname("Web-1.example.org").build().hostname());
        for (String bad : List.of("Vim", "a b", "x;rm", "-o")) {
            assertThrows(IllegalArgumentException.class,
                () -> ImageBuildSpec.builder(DebianRelease.DEBIAN_12, Path.of("x")).install(bad).build(), bad);
        }
        assertThrows(IllegalArgumentException.class,
            () -> ImageBuildSpec.builder(DebianRelease.DEBIAN_12, Path.of("x")).mirror("ftp://x").build());
    }

    @Test
    void rootPasswordForms() throws Exception {
        assertEquals(RootPassword.Kind.RANDOM, RootPassword.parse("random").kind());
        String r1 = RootPassword.parse("random").resolve();
        assertEquals(16, r1.length());
        assertNotEquals(r1, RootPassword.parse("random").resolve());
        assertEquals("s3cret:x", RootPassword.parse("password:s3cret:x").resolve());
        assertNull(RootPassword.parse("locked").resolve());
        Path f = Files.writeString(dir.resolve("pw"), "fromfile\nsecond line\n");
        assertEquals("fromfile", RootPassword.parse("file:" + f).resolve());
        Path empty = Files.writeString(dir.resolve("empty"), "");
        assertThrows(IllegalArgumentException.class, () -> RootPassword.parse("file:" + empty).resolve());
        assertThrows(IllegalArgumentException.class, () -> RootPassword.parse("file:" + dir.resolve("missing")).resolve());
        for (String bad : List.of("", "password:", "file:", "secret", "Random")) {
            assertThrows(IllegalArgumentException.class, () -> RootPassword.parse(bad), bad);
        }
        assertEquals("password:***", RootPassword.of("x").toString());
    }

    @Test
    void sshInjectForms() throws Exception {
        Path pub = Files.writeString(dir.resolve("id.pub"), KEY + "\n");
        SshKeyInjection k = SshKeyInjection.parse("root:file:" + pub);
        assertEquals("root", k.user());
        assertEquals(KEY, k.keyLine());
        assertEquals(KEY, SshKeyInjection.parse("debian:string:" + KEY).keyLine());
        for (String bad : List.of("root", "root:" + pub, "root:file:", "Root:file:/x", "root:url:http://x", ":file:/x")) {
            assertThrows(IllegalArgumentException.class, () -> SshKeyInjection.parse(bad), bad);
        }
        Path priv = Files.writeString(dir.resolve("id"), "-----BEGIN OPENSSH PRIVATE KEY-----\nabc\n-----END OPENSSH PRIVATE KEY-----\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> SshKeyInjection.parse("root:file:" + priv).keyLine());
        assertTrue(e.getMessage().contains("private key"), e.getMessage());
        Path notKey = Files.writeString(dir.resolve("hostname"), "myhost\n");
        assertThrows(IllegalArgumentException.class, () -> SshKeyInjection.parse("root:file:" + notKey).keyLine());
        assertThrows(IllegalArgumentException.class,
            () -> SshKeyInjection.parse("root:file:" + dir.resolve("missing.pub")).keyLine());
    }

    @Test
    void cacheKeyIsReleasePlusSortedPackagesPlusLayout() {
        String a = DebianBase.cacheKey(DebianRelease.DEBIAN_12, List.of("b", "a", "c"));
        assertEquals(a, DebianBase.cacheKey(DebianRelease.DEBIAN_12, List.of("c", "a", "b", "a")));
        assertNotEquals(a, DebianBase.cacheKey(DebianRelease.DEBIAN_12, List.of("a", "b")));
        assertTrue(a.matches("debian-12-[0-9a-f]{16}"), a);
        ImageBuildSpec plain = ImageBuildSpec.builder(DebianRelease.DEBIAN_12, Path.of("x")).hostname("h1").build();
        ImageBuildSpec custom = ImageBuildSpec.builder(DebianRelease.DEBIAN_12, Path.of("y")).hostname("h2")
            .rootPassword(RootPassword.of("pw")).size(ByteSize.ofGiB(9)).build();
        assertEquals(DebianBase.cacheKey(plain.release(), plain.packages()),
            DebianBase.cacheKey(custom.release(), custom.packages()), "customizations do not change the base");
        ImageBuildSpec more = ImageBuildSpec.builder(DebianRelease.DEBIAN_12, Path.of("z")).install("vim").build();
        assertNotEquals(DebianBase.cacheKey(plain.release(), plain.packages()),
            DebianBase.cacheKey(more.release(), more.packages()), "extra packages make another base");
    }

    @Test
    void filesystemSizingAndGuestConfig() {
        long mib = 1024L * 1024;
        assertEquals(0, BaseImageBuilder.filesystemBytes(500 * mib) % (64 * mib));
        assertTrue(BaseImageBuilder.filesystemBytes(500 * mib) >= 500 * mib * 5 / 4 + 256 * mib);
        java.util.UUID u = java.util.UUID.fromString("6cdab275-bc95-4d1a-b9eb-682f6b332cb6");
        String grub = GuestConfig.grubCfg(DebianRelease.DEBIAN_12, u);
        assertTrue(grub.contains("terminal_output serial console"), grub);
        assertTrue(grub.contains("root=UUID=" + u + " ro"), grub);
        assertTrue(grub.contains("console=ttyS0,115200"), grub);
        assertTrue(GuestConfig.fstab(u).contains("UUID=" + u + " / ext4"));
        assertTrue(GuestConfig.cloudCfg().contains("datasource_list: [ NoCloud, None ]"));
        assertTrue(GuestConfig.hosts("web1.example.org").contains("127.0.1.1\tweb1.example.org\tweb1\n"));
    }

    @Test
    void mountinfoEscapesAreDecoded() {
        assertEquals("/tmp/a b\\c", Mounts.unescape("/tmp/a\\040b\\134c"));
        assertEquals("/x\\04", Mounts.unescape("/x\\04"));
    }
}
