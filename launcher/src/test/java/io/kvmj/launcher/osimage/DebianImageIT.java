package io.kvmj.launcher.osimage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kvmj.core.image.ByteSize;
import io.kvmj.core.image.ImageFormat;
import io.kvmj.core.model.Accelerator;
import io.kvmj.core.model.DiskBus;
import io.kvmj.core.model.DiskFormat;
import io.kvmj.core.model.DiskSpec;
import io.kvmj.core.model.GuestSpec;
import io.kvmj.core.model.MachineType;
import io.kvmj.core.model.NicSpec;
import io.kvmj.launcher.Guest;
import io.kvmj.launcher.HowEnded;
import io.kvmj.launcher.LaunchOptions;
import io.kvmj.launcher.Launcher;
import io.kvmj.launcher.ShutdownResult;
import io.kvmj.launcher.process.Executables;
import io.kvmj.launcher.testutil.Requirements;
import io.kvmj.launcher.testutil.TestRuntime;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.MatchResult;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kvmj img build debian-12} for real: builds (the base from the kvmj cache, so reruns take seconds), checks
 * the images with qemu-img, sfdisk, blkid and debugfs, then boots the qcow2 once under TCG from the disk alone
 * (SeaBIOS, GRUB, no -kernel): serial login as root, services active, the root filesystem grown to the disk by
 * cloud-init, DHCP on eth0, and the ACPI power button (QMP system_powerdown) powering the guest off by itself.
 */
class DebianImageIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Generous: a first TCG boot with cloud-init took 280 s on 2 shared, loaded cores (not a timing assertion). */
    private static final Duration BOOT = Duration.ofSeconds(1200);
    private static final String PASSWORD = "kvmj-it-pw";
    private static final Pattern ROOT_HASH = Pattern.compile("(?m)^root:\\$[^:!*]+:");
    private static final String KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBcvf6G2o1SMXW4pFj0Y8e8l6a0ZyYxk3R4nKqfA2o1x it@kvmj";

    @TempDir
    Path dir;

    @Test
    void buildsACachedDebianImageThatBootsFromTheDiskAndPowersOffOnTheAcpiButton() throws Exception {
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
            .sshInject(SshKeyInjection.parse("root:string:" + KEY)).build(), BuildListener.NONE);
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

        boot(qcow);
    }

    private void boot(Path qcow) {
        TestRuntime.use();
        Launcher launcher = Launcher.create(LaunchOptions.defaults().withQemuBinary(Requirements.qemu()));
        GuestSpec spec = GuestSpec.builder("debian-it-" + ProcessHandle.current().pid())
            .machine(MachineType.Q35).accelerator(Accelerator.TCG).cpus(2).memoryMiB(1024)
            .disk(DiskSpec.file("root", qcow).format(DiskFormat.QCOW2).bus(DiskBus.VIRTIO_BLK).build())
            .nic(NicSpec.user("net0"))
            .build();
        Guest g = launcher.launch(spec);
        long pid = g.pid();
        try {
            g.awaitConsole("kvmj-it login:", BOOT);
            g.send("root\n");
            g.awaitConsole("Password:", Duration.ofSeconds(120));
            g.send(PASSWORD + "\n");
            g.awaitConsole("root@kvmj-it:~#", Duration.ofSeconds(300));
            // wait for cloud-init's first boot (growpart, resizefs, network), then report
            g.send("cloud-init status --wait >/dev/null; echo \"KVMJ-CHECK services=$(systemctl is-active ssh"
                + " systemd-logind dbus serial-getty@ttyS0 | tr '\\n' ,) size=$(df -B1M --output=size / | tail -1 | tr -d ' ')"
                + " ip=$(ip -4 -o addr show eth0 | awk '{print $4}') ga=$(test -x /usr/sbin/qemu-ga"
                + " && systemctl cat qemu-guest-agent | grep -c org.qemu.guest_agent.0) END\"\n");
            MatchResult r = g.awaitConsole(
                Pattern.compile("KVMJ-CHECK services=(\\S*) size=(\\d+) ip=(\\S*) ga=(\\d+) END"), BOOT);
            String log = g.console().text();
            assertEquals("active,active,active,active,", r.group(1), log);
            long mib = Long.parseLong(r.group(2));
            assertTrue(mib > 3700 && mib <= 4096, "root filesystem grown to the 4 GiB disk: " + mib + " MiB\n" + log);
            assertTrue(r.group(3).startsWith("10.0.2."), "DHCP on eth0: " + r.group(3));
            assertTrue(Integer.parseInt(r.group(4)) > 0, "qemu-guest-agent starts on the virtio port");

            ShutdownResult s = g.shutdown(Duration.ofSeconds(600));
            String after = g.console().text();
            assertEquals(HowEnded.POWERED_OFF, s.how(), s + "\n" + after.substring(Math.max(0, after.length() - 3000)));
            assertEquals("guest-shutdown", s.shutdownReason(), s.toString());
            assertEquals(0, s.exitCode(), s.toString());
            assertTrue(after.contains("reboot: Power down"), "the guest powered itself off");
        } finally {
            g.close();
        }
        assertFalse(Requirements.alive(pid), "QEMU gone");
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
