package io.kvmj.launcher.realos;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.kvmj.core.model.Accelerator;
import io.kvmj.core.model.CloudInitSpec;
import io.kvmj.core.model.DiskBus;
import io.kvmj.core.model.DiskFormat;
import io.kvmj.core.model.DiskSpec;
import io.kvmj.core.model.GuestSpec;
import io.kvmj.core.model.NicSpec;
import io.kvmj.launcher.Guest;
import io.kvmj.launcher.LaunchOptions;
import io.kvmj.launcher.Launcher;
import io.kvmj.launcher.SpecFile;
import io.kvmj.launcher.cli.CliProcess;
import io.kvmj.launcher.migrate.InternalSnapshots;
import io.kvmj.launcher.migrate.LiveMigration;
import io.kvmj.launcher.migrate.Migratability;
import io.kvmj.launcher.migrate.Migration;
import io.kvmj.launcher.migrate.MigrationException;
import io.kvmj.launcher.migrate.MigrationListener;
import io.kvmj.launcher.migrate.MigrationOptions;
import io.kvmj.launcher.migrate.MigrationProgress;
import io.kvmj.launcher.migrate.MigrationResult;
import io.kvmj.launcher.migrate.MigrationSource;
import io.kvmj.launcher.migrate.SaveRestore;
import io.kvmj.launcher.migrate.TcgDirtyTracking;
import io.kvmj.launcher.osimage.HostRequirements;
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
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
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
 * snapshot taken while the guest writes, a live migration to a new name on this host (processes, the snapshot's
 * overlay, agent and ssh carry over); then, carrying a tmpfs marker and a running process ({@link Carried}) through
 * each: a move over TCP on 127.0.0.1, a cancelled move and one whose destination is killed (the source
 * runs on), a {@code --copy-storage} move onto a new disk file (the source image untouched), save and restore, an
 * internal snapshot reverted; last {@code kvmj stop} powering it off through ACPI. One boot: the agent rung of the
 * stop ladder (a guest that ignores its power button) is shown on the NAS test's second boot.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DebianGuestIT {
    /** Bounds only (never timing assertions): a first TCG boot with cloud-init takes 30-60 s idle, minutes loaded. */
    private static final Duration BOOT = Duration.ofSeconds(900);
    private static final String NAME = "deb-it";
    private static final String HOSTNAME = "kvmj-deb-it";
    private static final String MOVED = "deb-it-moved";
    private static final String OVER_TCP = "deb-it-tcp";
    private static final String POSTCOPY = "deb-it-postcopy";
    private static final String COPIED = "deb-it-copied";
    private static final String RESTORED = "deb-it-restored";

    /** The guest's name: {@link #NAME}, then the name of each move's destination. */
    private String name = NAME;
    /** Every QEMU this class started, for the clean-up should a test fail mid-move. */
    private final List<Guest> launched = new ArrayList<>();
    /** From test 10 on: what every move must carry. */
    private Carried carried;
    /** The copy-storage move's new disk file, and the hash of the source image it left behind. */
    private Path copy;
    private String sourceImageSha;
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
        RealOsTier.image(disk, "debian-base");
        key = dir.resolve("id_ed25519");
        CliProcess.Result kg = CliProcess.sh(60, "ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "kvmj-it", "-f",
                key.toString());
        assertEquals(0, kg.exit(), kg.toString());
        publicKey = Files.readString(dir.resolve("id_ed25519.pub")).trim();
        spec = GuestSpec.builder(NAME).accelerator(Accelerator.TCG).cpus(2).memoryMiB(1024)
                .cpu(io.kvmj.launcher.migrate.MigrationTestGuest.CPU) // it moves: a migration-safe model
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
        launched.stream().filter(Guest::isAlive).forEach(Guest::kill);
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
    void theRunningOsMovesToANewNameWithItsProcessesAndItsSnapshotDisk() throws Exception {
        long sleeper;
        try (QgaClient agent = guest.agent()) {
            sleeper = agent.execStart(GuestExecRequest.builder("sleep", "3600").captureOutput(false).build());
        }
        Guest source = guest;
        Migration m = LiveMigration.toNewGuest(launcher(), MigrationSource.of(source),
                SpecFile.read(source.runtimeDir().path()).orElseThrow(), MOVED, MigrationOptions.defaults(),
                MigrationListener.NONE);
        MigrationResult r = m.await(Duration.ofMinutes(10));
        tookOver(m.destination().orElseThrow(), MOVED);
        assertFalse(source.isAlive(), "the source QEMU ended after the destination ran: " + r);
        // memory moved, not a reboot: the process started before still runs
        assertEquals(0, exec("kill", "-0", Long.toString(sleeper)).exitCode(), "sleep " + sleeper + " survived");
        // the destination runs on the disk as it is now (the snapshot's overlay), not as it was at launch
        CliProcess.Result disks = cli.run(60, "disk", "list", MOVED, "--json");
        assertEquals(0, disks.exit(), disks.toString());
        assertEquals(dir.resolve("snap1.qcow2").toString(), disks.json().get(0).path("file").asText(), disks.out());
        assertEquals(0, exec("sh", "-c", "echo moved > /root/after-move && sync").exitCode());
        // and the CLI finds it under its new name: the agent and ssh (a new port forward, the same pinned key)
        CliProcess.Result info = cli.run(60, "agent", MOVED, "info", "--json");
        assertEquals(HOSTNAME, info.json().path("hostName").asText(), info.toString());
        CliProcess.Result ssh = cli.run(120, "ssh", MOVED, "-i", key.toString(), "--", "cat", "/root/after-move");
        assertEquals(0, ssh.exit(), ssh.toString());
        assertEquals("moved", ssh.out().trim());
        exec("kill", Long.toString(sleeper));
    }

    /** A new guest on this host from the guest's spec as it runs now (test 9's way), taking over {@link #guest}. */
    private Migration moveTo(String newName, MigrationOptions options, MigrationListener listener) {
        return LiveMigration.toNewGuest(launcher(), MigrationSource.of(guest),
                SpecFile.readWithSecrets(guest.runtimeDir().path()).orElseThrow(), newName, options, listener);
    }

    /** The image file the guest runs its root disk on, as {@code kvmj disk list} says. */
    private Path diskFile() throws Exception {
        CliProcess.Result disks = cli.run(60, "disk", "list", name, "--json");
        assertEquals(0, disks.exit(), disks.toString());
        return Path.of(disks.json().get(0).path("file").asText());
    }

    private void tookOver(Guest dest, String newName) {
        launched.add(dest);
        guest = dest;
        name = newName;
    }

    @Test
    @Order(10)
    void itMovesOverTcpOnLoopback() throws Exception {
        carried = Carried.start(guest);
        Guest source = guest;
        String uri = "tcp:127.0.0.1:" + MoveHelpers.freePort();
        // the waiting side as 'kvmj run --spec FILE --incoming URI' starts it: the spec as the guest runs now
        GuestSpec now = Migratability.liveDisks(MigrationSource.of(source),
                SpecFile.readWithSecrets(source.runtimeDir().path()).orElseThrow());
        Launcher l = launcher();
        Guest dest = l.launch(l.plan(now.toBuilder().name(OVER_TCP).build()).withLaunchArgs(LiveMigration.incomingArgs()));
        launched.add(dest);
        LiveMigration.accept(dest.qmp(), uri, true);
        MigrationResult r = LiveMigration.toUri(MigrationSource.of(source), uri, MigrationOptions.defaults(),
                MigrationListener.NONE).await(Duration.ofMinutes(10));
        tookOver(dest, OVER_TCP);
        assertEquals("completed", r.stats().path("status").asText(), r.toString());
        assertFalse(source.isAlive(), "the source QEMU ended");
        // the sender's result comes when the source has finished; the waiting side resumes on its own right after
        LiveMigration.awaitRunning(dest);
        assertTrue(dest.qmp().call("query-status", null, Duration.ofSeconds(30)).path("running").asBoolean());
        carried.assertOn(guest, "after the move over TCP");
        CliProcess.Result c = cli.run(120, "agent", OVER_TCP, "exec", "--", "cat", Carried.FILE);
        assertEquals(carried.marker(), c.out(), "the CLI finds it under its new name: " + c);
    }

    @Test
    @Order(11)
    void itMovesByPostCopyWhileItWritesItsMemory() throws Exception {
        // launched under TCG for moving: 8 KiB more RAM keeps QEMU 7.2 off its lossy dirty-sync path (TcgDirtyTracking)
        assertEquals(TcgDirtyTracking.PAD_KIB, SpecFile.read(guest.runtimeDir().path()).orElseThrow().memory().padKiB());
        assertTrue(guest.argv().contains("size=1048584K"), guest.argv().toString());
        long writer;
        try (QgaClient agent = guest.agent()) {
            writer = agent.execStart(GuestExecRequest.builder("sh", "-c", "while :; do dd if=/dev/urandom "
                    + "of=/dev/shm/churn bs=1M count=64 conv=notrunc 2>/dev/null; done").captureOutput(false).build());
        }
        List<MigrationProgress> seen = new CopyOnWriteArrayList<>();
        Guest source = guest;
        // a 1 ms downtime limit: QEMU cannot finish by pre-copy while the writer runs, so the switch always happens
        Migration m = moveTo(POSTCOPY, MigrationOptions.defaults().withPostcopy(true).withSpeedMiBps(64)
                .withMaxDowntime(Duration.ofMillis(1)), seen::add);
        MigrationResult r = m.await(Duration.ofMinutes(10));
        tookOver(m.destination().orElseThrow(), POSTCOPY);
        assertEquals("completed", r.stats().path("status").asText(), r.toString());
        assertTrue(seen.stream().anyMatch(p -> p.status().equals("postcopy-active")), "switched to post-copy: "
                + seen.stream().map(MigrationProgress::status).distinct().toList());
        assertTrue(r.stats().path("ram").path("postcopy-bytes").asLong() > 0, "pages sent after the switch: " + r);
        assertFalse(source.isAlive(), "the source QEMU ended");
        // the guest goes on running on the destination: the writer, the marker and the sleeper, for a while
        for (int i = 0; i < 5; i++) {
            assertEquals(0, exec("kill", "-0", Long.toString(writer)).exitCode(), "the writer runs on, check " + i);
            Thread.sleep(2000);
        }
        carried.assertOn(guest, "after the post-copy move");
        exec("kill", Long.toString(writer));
        assertTrue(guest.isAlive());
    }

    @Test
    @Order(12)
    void aCancelledMigrationAndAKilledDestinationLeaveTheSourceRunning() {
        MigrationOptions slow = MigrationOptions.defaults().withSpeedMiBps(1).withTimeout(Duration.ofMinutes(5));
        List<MigrationProgress> seen = new CopyOnWriteArrayList<>();
        Migration c = moveTo(name + "-c", slow, seen::add);
        MoveHelpers.awaitSent(seen);
        Path cancelledDir = c.destination().orElseThrow().runtimeDir().path();
        c.cancel();
        MigrationException ce = assertThrows(MigrationException.class, () -> c.await(Duration.ofMinutes(2)));
        assertTrue(ce.sourceRunning() && ce.getMessage().contains("cancelled"), ce.getMessage());
        assertFalse(Files.exists(cancelledDir), "the cancelled destination's runtime dir removed");

        List<MigrationProgress> seen2 = new CopyOnWriteArrayList<>();
        Migration k = moveTo(name + "-k", slow, seen2::add);
        MoveHelpers.awaitSent(seen2);
        Guest dest = k.destination().orElseThrow();
        ProcessHandle.of(dest.pid()).orElseThrow().destroyForcibly(); // SIGKILL mid-stream
        MigrationException ke = assertThrows(MigrationException.class, () -> k.await(Duration.ofMinutes(2)));
        assertTrue(ke.sourceRunning(), ke.getMessage());
        assertFalse(Files.exists(dest.runtimeDir().path()), "the killed destination's runtime dir removed");

        assertTrue(guest.isAlive());
        assertEquals("running", guest.qmp().call("query-status", null, Duration.ofSeconds(30)).path("status").asText());
        carried.assertOn(guest, "on the source after a cancelled migration and a killed destination");
    }

    @Test
    @Order(13)
    void copyStorageMovesTheDiskToANewFileAndLeavesTheSourceImageUntouched() throws Exception {
        Path overlay = dir.resolve("snap1.qcow2");
        assertEquals(overlay, diskFile(), "the source runs on test 8's overlay");
        copy = dir.resolve("root-copy.qcow2");
        Guest source = guest;
        // frozen, the guest writes nothing: the source image's hash before the move is what it must stay
        try (QgaClient agent = guest.agent()) {
            assertTrue(agent.fsfreezeFreeze() >= 1);
        }
        String before = MoveHelpers.sha256(overlay);
        Migration m = moveTo(COPIED, MigrationOptions.defaults().withCopyStorage(true, Map.of("root", copy)),
                MigrationListener.NONE);
        m.await(Duration.ofMinutes(10));
        tookOver(m.destination().orElseThrow(), COPIED);
        assertFalse(source.isAlive(), "the source QEMU ended");
        assertEquals(before, MoveHelpers.sha256(overlay), "the move left the source image as it was");
        assertEquals(copy, diskFile(), "the destination runs on the new file");
        CliProcess.Result info = CliProcess.sh(60, "qemu-img", "info", "-U", "--output=json", copy.toString());
        assertEquals("qcow2", info.json().path("format").asText(), info.out());
        assertFalse(info.json().has("backing-filename"), "a whole copy, not an overlay: " + info.out());
        // still frozen on the destination: the copy holds what the source's chain (overlay on root.qcow2) holds
        CliProcess.Result same = CliProcess.sh(600, "qemu-img", "compare", "-U", overlay.toString(), copy.toString());
        assertEquals(0, same.exit(), "the copy has the source disk's content: " + same);
        try (QgaClient agent = guest.agent()) {
            assertTrue(agent.fsfreezeThaw() >= 1, "thawed on the destination");
        }
        carried.assertOn(guest, "after the copy-storage move");

        // the guest reads and writes its disk on the destination; the writes land in the copy only
        String text = "on-the-copy-" + carried.marker();
        try (QgaClient agent = guest.agent()) {
            agent.writeFile("/root/on-copy", text.getBytes(StandardCharsets.US_ASCII));
        }
        assertEquals(0, exec("sync").exitCode());
        GuestExecResult read = exec("sh", "-c", "echo 3 > /proc/sys/vm/drop_caches; cat /root/after-move /root/on-copy");
        assertEquals("moved\n" + text, read.stdoutText(), "read back from disk: " + read);
        CliProcess.Result inCopy = CliProcess.sh(120, "grep", "-c", "-a", "-F", text, copy.toString());
        assertEquals(0, inCopy.exit(), "the write is in the copy's file: " + inCopy);
        assertEquals(before, MoveHelpers.sha256(overlay), "the destination's writes left the source image alone");
        sourceImageSha = before;
    }

    @Test
    @Order(14)
    void saveToAFileAndRestore() throws Exception {
        Guest source = guest;
        Path file = dir.resolve("deb.kvmjsave");
        MigrationResult r = SaveRestore.save(MigrationSource.of(source), source.runtimeDir().path(),
                SpecFile.readWithSecrets(source.runtimeDir().path()).orElseThrow(), file, MigrationOptions.defaults(),
                MigrationListener.NONE).await(Duration.ofMinutes(10));
        assertFalse(source.isAlive(), "the saved guest stopped");
        assertTrue(Files.size(file) >= r.transferredBytes() && r.transferredBytes() > 0, Files.size(file) + " " + r);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        tookOver(SaveRestore.restore(launcher(), file, RESTORED, Duration.ofMinutes(10)), RESTORED);
        carried.assertOn(guest, "after save and restore");
        assertEquals(copy, diskFile(), "restored on the disk it was saved with");
        assertEquals("on-the-copy-" + carried.marker(), exec("cat", "/root/on-copy").stdoutText());
        Files.delete(file);
    }

    @Test
    @Order(15)
    void anInternalSnapshotRevertsMemoryProcessesAndDisk() throws Exception {
        Duration t = Duration.ofMinutes(10);
        InternalSnapshots.create(guest.qmp(), "s1", pct -> { }, t);
        List<InternalSnapshots.Entry> all = InternalSnapshots.list(guest.qmp());
        assertEquals(List.of("s1"), all.stream().map(InternalSnapshots.Entry::tag).toList());
        assertTrue(all.get(0).vmStateSize() > 0, "with memory: " + all);
        // change memory, processes and disk
        try (QgaClient agent = guest.agent()) {
            agent.writeFile(Carried.FILE, "changed".getBytes(StandardCharsets.US_ASCII));
            agent.writeFile("/root/after-s1", "later".getBytes(StandardCharsets.US_ASCII));
        }
        assertEquals(0, exec("sync").exitCode());
        assertEquals(0, exec("kill", "-KILL", Long.toString(carried.pid())).exitCode());
        InternalSnapshots.revert(guest.qmp(), "s1", pct -> { }, t);
        carried.assertOn(guest, "after reverting to the snapshot"); // the marker back, the killed sleeper too
        GuestExecResult gone = exec("sh", "-c", "echo 3 > /proc/sys/vm/drop_caches; test -e /root/after-s1");
        assertEquals(1, gone.exitCode(), "the file written after the snapshot is gone from the disk: " + gone);
        InternalSnapshots.delete(guest.qmp(), "s1", pct -> { }, t);
        assertTrue(InternalSnapshots.list(guest.qmp()).isEmpty());
    }

    @Test
    @Order(16)
    void kvmjStopPowersTheGuestOffThroughAcpi() throws Exception {
        exec("sync");
        CliProcess.Result r = cli.run(400, "stop", name, "--timeout", "300", "--json");
        assertEquals(0, r.exit(), r.toString());
        JsonNode j = r.json();
        assertEquals("POWERED_OFF", j.path("how").asText(), r.out());
        assertEquals("[\"SYSTEM_POWERDOWN\"]", j.path("steps").toString(), r.out());
        assertTrue(guest.awaitExit(Duration.ofSeconds(60)).isPresent(), "QEMU ended");
        // the copy the guest ran on since the copy-storage move (snapshot made and deleted in it) is sound
        CliProcess.Result copyCheck = CliProcess.sh(300, "qemu-img", "check", "-f", "qcow2", copy.toString());
        assertEquals(0, copyCheck.exit(), copyCheck.toString());
        // the overlay test 8's snapshot made, the source image of that move, is a sound image on top of the frozen
        // one, still exactly as the source left it
        Path overlay = dir.resolve("snap1.qcow2");
        CliProcess.Result check = CliProcess.sh(120, "qemu-img", "check", "-f", "qcow2", overlay.toString());
        assertEquals(0, check.exit(), check.toString());
        CliProcess.Result info = CliProcess.sh(60, "qemu-img", "info", "--output=json", "-f", "qcow2",
                overlay.toString());
        assertEquals(disk.toString(), info.json().path("full-backing-filename").asText(), info.toString());
        assertEquals(sourceImageSha, MoveHelpers.sha256(overlay), "the source image of the copy-storage move");
    }
}
