package io.kvmj.launcher.realos;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.kvmj.core.image.ByteSize;
import io.kvmj.core.image.ImageFormat;
import io.kvmj.core.model.Accelerator;
import io.kvmj.core.model.CloudInitSpec;
import io.kvmj.core.model.DiskBus;
import io.kvmj.core.model.DiskFormat;
import io.kvmj.core.model.DiskSpec;
import io.kvmj.core.model.GuestSpec;
import io.kvmj.core.model.NicSpec;
import io.kvmj.launcher.Guest;
import io.kvmj.launcher.HowEnded;
import io.kvmj.launcher.LaunchOptions;
import io.kvmj.launcher.Launcher;
import io.kvmj.launcher.ShutdownResult;
import io.kvmj.launcher.ShutdownStep;
import io.kvmj.launcher.cli.CliProcess;
import io.kvmj.launcher.osimage.BuildListener;
import io.kvmj.launcher.osimage.DebianImageBuilder;
import io.kvmj.launcher.osimage.DebianRelease;
import io.kvmj.launcher.osimage.HostRequirements;
import io.kvmj.launcher.osimage.ImageBuildSpec;
import io.kvmj.launcher.osimage.RootPassword;
import io.kvmj.launcher.process.Executables;
import io.kvmj.launcher.testutil.Requirements;
import io.kvmj.launcher.testutil.TestRuntime;
import io.kvmj.qga.QgaClient;
import io.kvmj.qga.model.FsFreezeStatus;
import io.kvmj.qga.model.GuestExecRequest;
import io.kvmj.qga.model.GuestExecResult;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The real-OS tier: one Debian 12 guest built by {@code kvmj img build} (its base from the kvmj cache), booted under
 * TCG from its own disk through SeaBIOS and GRUB (no {@code -kernel}), configured by cloud-init from kvmj's NoCloud
 * seed, and shared by the tests below in order: agent exec and files, fsfreeze, {@code kvmj ssh}, a quiesced
 * snapshot taken while the guest writes, {@code kvmj stop} powering it off through ACPI; then a second boot of the
 * same disk whose power button is ignored, stopped through the agent rung of the ladder.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DebianGuestIT {
    /** Bounds only (never timing assertions): a first TCG boot with cloud-init takes 30-60 s idle, minutes loaded. */
    private static final Duration BOOT = Duration.ofSeconds(900);
    private static final String NAME = "deb-it";
    private static final String HOSTNAME = "kvmj-deb-it";

    private Path dir;
    private Path runtime;
    private Path disk;
    private Path key;
    private String publicKey;
    private CliProcess cli;
    private Guest guest;
    private GuestSpec spec;

    @BeforeAll
    void bootTheGuest() throws Exception {
        String problem = HostRequirements.problem(true);
        if (problem != null) {
            Requirements.missing(problem);
        }
        for (String tool : List.of("ssh", "ssh-keygen", "e2fsck", "dumpe2fs", "debugfs", "losetup", "qemu-img")) {
            if (Executables.find(tool).isEmpty()) {
                Requirements.missing(tool + " not installed");
            }
        }
        runtime = TestRuntime.use();
        cli = CliProcess.require(runtime);
        dir = Files.createTempDirectory("kvmj-realos-");
        disk = dir.resolve("root.qcow2");
        DebianImageBuilder.create().build(ImageBuildSpec.builder(DebianRelease.DEBIAN_12, disk).format(ImageFormat.QCOW2)
                .size(ByteSize.ofGiB(6)).hostname("debian-base").rootPassword(RootPassword.of("kvmj-it")).build(),
                BuildListener.NONE);
        key = dir.resolve("id_ed25519");
        CliProcess.Result kg = CliProcess.sh(60, "ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "kvmj-it", "-f",
                key.toString());
        assertEquals(0, kg.exit(), kg.toString());
        publicKey = Files.readString(dir.resolve("id_ed25519.pub")).trim();
        spec = GuestSpec.builder(NAME).accelerator(Accelerator.TCG).cpus(2).memoryMiB(1024)
                .disk(DiskSpec.file("root", disk).format(DiskFormat.QCOW2).bus(DiskBus.VIRTIO_BLK).build())
                .nic(NicSpec.user("net0"))
                .cloudInit(CloudInitSpec.builder().rootSshKey(publicKey).hostname(HOSTNAME).instanceId("kvmj-it-1")
                        .build())
                .build();
        guest = launcher().launch(spec);
        guest.awaitConsole("login:", BOOT);
        try (QgaClient agent = guest.awaitAgent(BOOT)) {
            GuestExecResult r = agent.exec(List.of("cloud-init", "status", "--wait"), BOOT);
            assertTrue(r.stdoutText().contains("done"), "cloud-init finished: " + r.stdoutText() + r.stderrText());
        }
    }

    @AfterAll
    void cleanUp() throws IOException {
        if (guest != null && guest.isAlive()) {
            guest.kill();
        }
        if (dir != null) {
            try (Stream<Path> s = Files.walk(dir)) {
                s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static Launcher launcher() {
        return Launcher.create(LaunchOptions.defaults().withReadyTimeout(Duration.ofSeconds(60)));
    }

    private GuestExecResult exec(String... argv) {
        try (QgaClient agent = guest.agent()) {
            return agent.exec(List.of(argv), Duration.ofSeconds(120));
        }
    }

    @Test
    @Order(1)
    void bootsFromItsOwnDiskThroughFirmware() {
        assertFalse(guest.argv().contains("-kernel"), "no -kernel: " + guest.argv());
        assertTrue(guest.console().text().contains("login:"), "serial login prompt on ttyS0");
        GuestExecResult r = exec("cat", "/proc/cmdline");
        assertTrue(r.stdoutText().contains("BOOT_IMAGE=") && r.stdoutText().contains("console=ttyS0"),
                "booted by GRUB with the serial console: " + r.stdoutText());
    }

    @Test
    @Order(2)
    void rootLogsInOnTheSerialConsoleAndTheServicesRun() {
        guest.send("root\n");
        guest.awaitConsole("Password:", Duration.ofSeconds(300));
        guest.send("kvmj-it\n");
        guest.awaitConsole("root@" + HOSTNAME + ":~#", Duration.ofSeconds(300));
        guest.send("echo KVMJ-$((6*7))-OK\n");
        guest.awaitConsole("KVMJ-42-OK", Duration.ofSeconds(120));
        GuestExecResult active = exec("systemctl", "is-active", "ssh", "systemd-logind", "dbus",
                "serial-getty@ttyS0", "qemu-guest-agent");
        assertEquals("active\nactive\nactive\nactive\nactive\n", active.stdoutText(), active.stderrText());
        GuestExecResult ip = exec("ip", "-4", "-o", "addr", "show", "eth0");
        assertTrue(ip.stdoutText().contains("inet 10.0.2."), "DHCP from QEMU's user network: " + ip.stdoutText());
    }

    @Test
    @Order(2)
    void cloudInitAppliedTheKeyAndTheHostname() throws Exception {
        try (QgaClient agent = guest.agent()) {
            assertEquals(HOSTNAME, agent.hostName());
            String keys = new String(agent.readFile("/root/.ssh/authorized_keys"), StandardCharsets.UTF_8);
            assertTrue(keys.contains(publicKey), "root's authorized_keys has the key: " + keys);
        }
        CliProcess.Result r = cli.run(60, "agent", NAME, "info", "--json");
        assertEquals(0, r.exit(), r.toString());
        assertEquals(HOSTNAME, r.json().path("hostName").asText());
        assertEquals("debian", r.json().path("os").path("id").asText());
    }

    @Test
    @Order(3)
    void theRootFilesystemWasGrownToTheDisk() {
        GuestExecResult r = exec("df", "-B1", "--output=size", "/");
        long size = Long.parseLong(r.stdoutText().lines().skip(1).findFirst().orElseThrow().trim());
        assertTrue(size > 5L * 1024 * 1024 * 1024, "root filesystem grown to the 6 GiB disk: " + size);
    }

    @Test
    @Order(4)
    void agentExecReportsOutputExitCodesAndSignals() throws Exception {
        GuestExecResult r = exec("sh", "-c", "echo out; echo err >&2; exit 7");
        assertEquals(7, r.exitCode());
        assertEquals("out\n", r.stdoutText());
        assertEquals("err\n", r.stderrText());
        assertEquals(0, exec("true").exitCode());
        GuestExecResult killed = exec("sh", "-c", "kill -TERM $$");
        assertEquals(15, killed.signal(), killed.toString());
        CliProcess.Result c = cli.run(120, "agent", NAME, "exec", "--", "sh", "-c", "echo hi; echo no >&2; exit 3");
        assertEquals(3, c.exit(), "kvmj agent exec exits with the command's status: " + c);
        assertEquals("hi\n", c.out());
        assertEquals("no\n", c.err());
    }

    @Test
    @Order(5)
    void agentFilesRoundTripBinaryData() throws Exception {
        byte[] data = new byte[300_000];
        new Random(42).nextBytes(data);
        try (QgaClient agent = guest.agent()) {
            agent.writeFile("/root/kvmj-it.bin", data);
            assertArrayEquals(data, agent.readFile("/root/kvmj-it.bin"));
        }
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        assertTrue(exec("sha256sum", "/root/kvmj-it.bin").stdoutText().startsWith(sha), "the guest sees the same bytes");
    }

    @Test
    @Order(6)
    void fsfreezeAndThaw() throws Exception {
        try (QgaClient agent = guest.agent()) {
            assertTrue(agent.fsfreezeFreeze() >= 1, "at least / frozen");
            assertEquals(FsFreezeStatus.FROZEN, agent.fsfreezeStatus());
            assertTrue(agent.fsfreezeThaw() >= 1);
            assertEquals(FsFreezeStatus.THAWED, agent.fsfreezeStatus());
        }
        CliProcess.Result r = cli.run(60, "agent", NAME, "fsstatus", "--json");
        assertEquals("thawed", r.json().path("status").asText(), r.toString());
        assertEquals(0, exec("touch", "/root/after-thaw").exitCode(), "writes work again");
    }

    @Test
    @Order(7)
    void kvmjSshRunsACommandWithTheHostKeyPinned() throws Exception {
        CliProcess.Result r = cli.run(120, "ssh", NAME, "-i", key.toString(), "--", "cat", "/etc/hostname");
        assertEquals(0, r.exit(), r.toString());
        assertEquals(HOSTNAME, r.out().trim());
        CliProcess.Result p = cli.run(60, "ssh", "--print", NAME);
        assertTrue(p.out().contains("StrictHostKeyChecking=yes"), "host key pinned, not trusted blindly: " + p);
        Path known = runtime.resolve(NAME).resolve("known_hosts");
        String pinned = Files.readString(known);
        String hostKey = exec("cat", "/etc/ssh/ssh_host_ed25519_key.pub").stdoutText().split("\\s+")[1];
        assertTrue(pinned.contains(hostKey), "known_hosts holds the guest's own ed25519 key");
    }

    @Test
    @Order(8)
    void aQuiescedSnapshotIsConsistentWhileTheGuestWrites() throws Exception {
        long writer;
        try (QgaClient agent = guest.agent()) {
            writer = agent.execStart(GuestExecRequest.builder("sh", "-c",
                    "i=0; while :; do echo $i >> /root/seq.log; i=$((i+1)); done").captureOutput(false).build());
        }
        Thread.sleep(3000);
        Path overlay = dir.resolve("snap1.qcow2");
        CliProcess.Result r = cli.run(300, "disk", "snapshot", NAME, "root", "--quiesce", "--json",
                "--file", overlay.toString());
        assertEquals(0, r.exit(), r.toString());
        JsonNode j = r.json();
        assertTrue(j.path("quiesced").asBoolean(), r.out());
        assertTrue(j.path("filesystemsFrozen").asInt() >= 1, r.out());
        assertEquals(0, exec("kill", Long.toString(writer)).exitCode());
        assertEquals("thawed", cli.run(60, "agent", NAME, "fsstatus", "--json").json().path("status").asText(),
                "thawed after the snapshot");

        // the frozen image (root.qcow2, now the read-only backing of snap1) read while the guest runs on
        Path raw = dir.resolve("frozen.raw");
        CliProcess.Result conv = CliProcess.sh(600, "qemu-img", "convert", "-U", "-f", "qcow2", "-O", "raw",
                disk.toString(), raw.toString());
        assertEquals(0, conv.exit(), conv.toString());
        long offset = firstPartitionOffset(raw);
        CliProcess.Result loop = CliProcess.sh(60, "losetup", "-r", "-f", "--show", "-o", Long.toString(offset),
                raw.toString());
        assertEquals(0, loop.exit(), loop.toString());
        String dev = loop.out().trim();
        try {
            CliProcess.Result head = CliProcess.sh(60, "dumpe2fs", "-h", dev);
            assertFalse(head.out().contains("needs_recovery"), "journal empty: the freeze flushed it\n" + head.out());
            CliProcess.Result fsck = CliProcess.sh(300, "e2fsck", "-fn", dev);
            assertEquals(0, fsck.exit(), "the frozen filesystem is clean: " + fsck);
            CliProcess.Result cat = CliProcess.sh(120, "debugfs", "-R", "cat /root/seq.log", dev);
            List<String> lines = cat.out().lines().toList();
            assertTrue(lines.size() > 10, "the writer had written before the freeze: " + lines.size() + " lines");
            for (int i = 0; i < lines.size(); i++) {
                assertEquals(Integer.toString(i), lines.get(i), "line " + i + " of the frozen log is whole");
            }
        } finally {
            CliProcess.sh(60, "losetup", "-d", dev);
            Files.deleteIfExists(raw);
        }
    }

    /** Byte offset of the first MBR partition (LBA at 0x1C6, little endian, 512-byte sectors). */
    private static long firstPartitionOffset(Path raw) throws IOException {
        byte[] mbr = new byte[512];
        try (var in = Files.newInputStream(raw)) {
            assertEquals(512, in.readNBytes(mbr, 0, 512));
        }
        assertEquals(0x55, mbr[510] & 0xff, "MBR signature");
        long lba = ByteBuffer.wrap(mbr, 0x1C6, 4).order(ByteOrder.LITTLE_ENDIAN).getInt() & 0xffffffffL;
        return lba * 512;
    }

    @Test
    @Order(9)
    void kvmjStopPowersTheGuestOffThroughAcpi() throws Exception {
        // for the next boot only (logind reads its configuration when it starts): ignore the power button
        try (QgaClient agent = guest.agent()) {
            agent.exec(List.of("mkdir", "-p", "/etc/systemd/logind.conf.d"), Duration.ofSeconds(30));
            agent.writeFile("/etc/systemd/logind.conf.d/90-kvmj-it.conf",
                    "[Login]\nHandlePowerKey=ignore\n".getBytes(StandardCharsets.UTF_8));
        }
        exec("sync");
        CliProcess.Result r = cli.run(400, "stop", NAME, "--timeout", "300", "--json");
        assertEquals(0, r.exit(), r.toString());
        JsonNode j = r.json();
        assertEquals("POWERED_OFF", j.path("how").asText(), r.out());
        assertEquals("[\"SYSTEM_POWERDOWN\"]", j.path("steps").toString(), r.out());
        assertTrue(guest.awaitExit(Duration.ofSeconds(60)).isPresent(), "QEMU ended");
    }

    @Test
    @Order(10)
    void theAgentRungPowersOffAGuestThatIgnoresTheButton() {
        Path active = dir.resolve("snap1.qcow2");
        GuestSpec again = spec.toBuilder().cloudInit(null).clearDisks()
                .disk(DiskSpec.file("root", active).format(DiskFormat.QCOW2).bus(DiskBus.VIRTIO_BLK).build()).build();
        guest = launcher().launch(again);
        try (QgaClient agent = guest.awaitAgent(BOOT)) {
            assertTrue(new String(agent.readFile("/root/kvmj-it.bin"), StandardCharsets.ISO_8859_1).length() > 0,
                    "the disk kept what the first boot wrote");
        }
        ShutdownResult r = guest.shutdown(Duration.ofSeconds(20));
        assertEquals(HowEnded.POWERED_OFF, r.how(), r.toString());
        assertEquals(List.of(ShutdownStep.SYSTEM_POWERDOWN, ShutdownStep.AGENT_SHUTDOWN), r.steps(), r.toString());
        assertTrue(r.graceful());
    }
}
