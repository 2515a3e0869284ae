package io.kvmj.launcher.osimage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kvmj.core.image.ByteSize;
import io.kvmj.core.image.ImageFormat;
import io.kvmj.launcher.process.Executables;
import io.kvmj.launcher.testutil.Requirements;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kvmj img build debian-12} for real: builds (the base from the kvmj cache, so reruns take seconds), checks
 * the images with qemu-img, sfdisk, blkid and debugfs. Booting such an image (firmware, serial login, services,
 * growth, DHCP, agent, ACPI) is the real-OS tier's job: {@code io.kvmj.launcher.realos.DebianGuestIT} boots one
 * guest for all of it; this class does not boot (one Debian boot per test run is the budget).
 */
class DebianImageIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PASSWORD = "kvmj-it-pw";
    private static final Pattern ROOT_HASH = Pattern.compile("(?m)^root:\\$[^:!*]+:");
    private static final String KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBcvf6G2o1SMXW4pFj0Y8e8l6a0ZyYxk3R4nKqfA2o1x it@kvmj";

    @TempDir
    Path dir;

    @Test
    void buildsCachedDebianImagesWithTheirOwnCustomization() throws Exception {
        String problem = HostRequirements.problem(true);
        if (problem != null) {
            Requirements.missing(problem);
        }
        for (String tool : List.of("qemu-system-x86_64", "qemu-img", "debugfs", "blkid", "sfdisk")) {
            if (Executables.find(tool).isEmpty()) {
                Requirements.missing(tool + " not installed");
            }
        }
        DebianImageBuilder builder = DebianImageBuilder.create();
        Path rawA = dir.resolve("a.raw");
        BuildResult a = builder.build(ImageBuildSpec.builder(DebianRelease.DEBIAN_12, rawA).format(ImageFormat.RAW)
            .size(ByteSize.ofGiB(3)).hostname("kvmj-a").rootPassword(RootPassword.of(PASSWORD))
            .sshInject(SshKeyInjection.parse("root:string:" + KEY))
            .runCommand("printf 'ran after the hostname: %s' \"$(cat /etc/hostname)\" > /etc/kvmj-run-command")
            .runCommand("systemctl disable e2scrub_reap.service").build(), BuildListener.NONE);
        Path rawB = dir.resolve("b.raw");
        BuildResult b = builder.build(ImageBuildSpec.builder(DebianRelease.DEBIAN_12, rawB).format(ImageFormat.RAW)
            .hostname("kvmj-b").build(), BuildListener.NONE);
        assertTrue(b.baseCached(), "the second build reuses the cached base");
        assertEquals(a.baseDisk(), b.baseDisk());
        assertEquals(16, b.rootPassword().length(), "random password reported");
        Path qcow = dir.resolve("boot.qcow2");
        BuildResult c = builder.build(ImageBuildSpec.builder(DebianRelease.DEBIAN_12, qcow).hostname("kvmj-it")
            .rootPassword(RootPassword.of(PASSWORD)).build(), BuildListener.NONE);
        BaseManifest m = BaseManifest.read(c.baseDisk().getParent());
        assertEquals(m.kernel(), a.kernel(), "the kernel /vmlinuz points to, read from the image");
        Path failed = dir.resolve("failed.qcow2");
        ImageBuildException e = assertThrows(ImageBuildException.class, () -> builder.build(
            ImageBuildSpec.builder(DebianRelease.DEBIAN_12, failed).runCommand("echo to-stderr >&2; exit 3").build(),
            BuildListener.NONE));
        assertTrue(e.getMessage().contains("exited with 3") && e.getMessage().contains("to-stderr"), e.getMessage());
        assertFalse(Files.exists(failed), "a failed run command leaves no image");
        assertEquals(List.of(), listTemp(), "no temporary files left next to the outputs");

        // qemu-img's view
        JsonNode infoA = JSON.readTree(sh("qemu-img", "info", "--output=json", rawA.toString()));
        assertEquals("raw", infoA.get("format").asText());
        assertEquals(3L << 30, infoA.get("virtual-size").asLong());
        JsonNode infoC = JSON.readTree(sh("qemu-img", "info", "--output=json", qcow.toString()));
        assertEquals("qcow2", infoC.get("format").asText());
        assertEquals(4L << 30, infoC.get("virtual-size").asLong());
        sh("qemu-img", "check", qcow.toString());

        // partition table, MBR boot code, filesystem
        JsonNode pt = JSON.readTree(sh("sfdisk", "--json", rawA.toString())).get("partitiontable");
        assertEquals("dos", pt.get("label").asText());
        assertEquals(1, pt.get("partitions").size());
        JsonNode p1 = pt.get("partitions").get(0);
        assertEquals(2048, p1.get("start").asLong());
        assertEquals("83", p1.get("type").asText());
        assertTrue(p1.path("bootable").asBoolean(), p1.toString());
        assertEquals(m.diskBytes() - m.partitionOffset(), p1.get("size").asLong() * 512, "partition ends at the base's end");
        byte[] mbr = new byte[512];
        try (InputStream in = Files.newInputStream(rawA)) {
            assertEquals(512, in.readNBytes(mbr, 0, 512));
        }
        assertEquals(0x55, mbr[510] & 0xff);
        assertEquals(0xaa, mbr[511] & 0xff);
        assertTrue(new String(mbr, StandardCharsets.ISO_8859_1).contains("GRUB"), "GRUB boot.img in the MBR");
        String blkid = sh("blkid", "-p", "-O", Long.toString(m.partitionOffset()), "-o", "export", rawA.toString());
        assertTrue(blkid.contains("TYPE=ext4"), blkid);
        assertTrue(blkid.contains("LABEL=" + BaseImageBuilder.FS_LABEL), blkid);
        assertTrue(blkid.contains("UUID=" + m.rootUuid()), blkid);

        // files inside (debugfs reads the partition at its offset, no mount)
        assertEquals("kvmj-a", cat(rawA, m, "/etc/hostname").strip());
        assertEquals("kvmj-b", cat(rawB, m, "/etc/hostname").strip());
        assertTrue(cat(rawA, m, "/etc/fstab").contains("UUID=" + m.rootUuid() + " / ext4"));
        assertTrue(cat(rawA, m, "/boot/grub/grub.cfg").contains("root=UUID=" + m.rootUuid()));
        assertTrue(cat(rawA, m, "/etc/cloud/cloud.cfg.d/90_kvmj.cfg").contains("datasource_list: [ NoCloud, None ]"));
        assertTrue(cat(rawA, m, "/root/.ssh/authorized_keys").contains(KEY));
        assertTrue(ROOT_HASH.matcher(cat(rawA, m, "/etc/shadow")).find(), "root has a password hash");
        assertTrue(ROOT_HASH.matcher(cat(rawB, m, "/etc/shadow")).find(), "random password set");
        String hostKeyA = cat(rawA, m, "/etc/ssh/ssh_host_ed25519_key.pub");
        assertTrue(hostKeyA.startsWith("ssh-ed25519 "), hostKeyA);
        assertNotEquals(hostKeyA, cat(rawB, m, "/etc/ssh/ssh_host_ed25519_key.pub"), "host keys differ per image");
        assertTrue(debugfs(rawA, m, "stat /etc/systemd/system/getty.target.wants/serial-getty@ttyS0.service")
            .contains("Type: symlink"), "serial getty enabled");
        assertEquals("ran after the hostname: kvmj-a", cat(rawA, m, "/etc/kvmj-run-command"));
        assertFalse(debugfs(rawA, m, "stat /etc/systemd/system/multi-user.target.wants/e2scrub_reap.service")
            .contains("Type: symlink"), "--run-command's systemctl disable took effect");
        assertTrue(debugfs(rawB, m, "stat /etc/systemd/system/multi-user.target.wants/e2scrub_reap.service")
            .contains("Type: symlink"), "and only in the image it ran in");
    }

    private List<String> listTemp() throws IOException {
        try (var s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.contains(".kvmj-build-")).toList();
        }
    }

    private static String cat(Path raw, BaseManifest m, String file) throws Exception {
        return debugfs(raw, m, "cat " + file);
    }

    private static String debugfs(Path raw, BaseManifest m, String request) throws Exception {
        return sh("debugfs", "-R", request, raw + "?offset=" + m.partitionOffset());
    }

    private static String sh(String... argv) throws Exception {
        Process p = new ProcessBuilder(argv).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), String.join(" ", argv) + ": " + out);
        return out;
    }
}
