package io.kvmj.launcher.realos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvmj.core.model.Accelerator;
import io.kvmj.core.model.DiskBus;
import io.kvmj.core.model.DiskFormat;
import io.kvmj.core.model.DiskSpec;
import io.kvmj.core.model.GuestSpec;
import io.kvmj.core.model.NicSpec;
import io.kvmj.core.model.NinePShare;
import io.kvmj.core.model.PortForward;
import io.kvmj.core.model.SecurityModel;
import io.kvmj.launcher.Guest;
import io.kvmj.launcher.HowEnded;
import io.kvmj.launcher.LaunchOptions;
import io.kvmj.launcher.Launcher;
import io.kvmj.launcher.ShutdownResult;
import io.kvmj.launcher.ShutdownStep;
import io.kvmj.launcher.cli.CliProcess;
import io.kvmj.launcher.cli.GuestOptionParsers;
import io.kvmj.launcher.osimage.HostRequirements;
import io.kvmj.launcher.process.Executables;
import io.kvmj.launcher.testutil.Requirements;
import io.kvmj.launcher.testutil.TestRuntime;
import io.kvmj.qga.QgaClient;
import io.kvmj.qga.model.GuestExecResult;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
 * The NAS of reference article 000, end to end on the real-OS tier's Debian 12 guest: three loop devices on the
 * host given whole to the guest with the NAS recipe ({@code --disk path=/dev/loopN,serial=...,wwn=...}: scsi-hd,
 * host_device, cache=none, aio=native, discard), an mdadm RAID5 built on their {@code /dev/disk/by-id/wwn-...}
 * names, data with checksums; one disk hot-unplugged with {@code kvmj disk detach} (the array runs degraded, the
 * data intact), a new disk hot-plugged with {@code kvmj disk attach} and the array rebuilt onto it (parity
 * checked); {@code kvmj stop}, and a second boot of the same disks where the array assembles by itself, a host
 * folder arrives over 9p, and Samba exports both, read from the host with {@code smbclient} through a user-net
 * port forward; the guest now ignores its power button (set before the first stop), so the last stop goes down the
 * ladder to the guest agent's shutdown. One guest per boot, two boots.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NasRaidIT {
    /** Bounds only (never timing assertions): a TCG boot takes 30-60 s idle, minutes on a loaded host. */
    private static final Duration BOOT = Duration.ofSeconds(900);
    private static final Duration SLOW = Duration.ofSeconds(600);
    private static final String NAME = "nas-it";
    private static final long DISK_BYTES = 64L << 20;
    /** Host-side WWNs of the four "disks" (NAA 5, a made-up vendor id); loop devices have none of their own. */
    private static final String WWN = "0x5000c500deadbe0";

    private Path dir;
    private Path share;
    private CliProcess cli;
    private Guest guest;
    private GuestSpec spec;
    private int smbPort;
    private final List<String> loops = new ArrayList<>();
    /** file name on the array -> its SHA-256 as the host computed it from the bytes the guest wrote. */
    private final Map<String, String> sums = new LinkedHashMap<>();

    @BeforeAll
    void bootTheGuest() throws Exception {
        String problem = HostRequirements.problem(true);
        if (problem != null) {
            Requirements.missing(problem);
        }
        for (String tool : List.of("losetup", "smbclient", "qemu-img")) {
            if (Executables.find(tool).isEmpty()) {
                Requirements.missing(tool + " not installed (scripts/bootstrap --tests)");
            }
        }
        Path runtime = TestRuntime.use();
        cli = CliProcess.require(runtime);
        dir = Files.createTempDirectory("kvmj-nas-");
        for (int i = 1; i <= 4; i++) {
            Path file = dir.resolve("disk" + i + ".img");
            try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
                f.setLength(DISK_BYTES);
            }
            CliProcess.Result r = CliProcess.sh(60, "losetup", "-f", "--show", file.toString());
            if (r.exit() != 0) {
                Requirements.missing("losetup cannot attach a loop device here: " + r);
            }
            loops.add(r.out().trim());
        }
        share = Files.createDirectories(dir.resolve("share"));
        Files.writeString(share.resolve("from-host.txt"), "the host's folder, exported by the guest\n");
        try (ServerSocket s = new ServerSocket(0)) {
            smbPort = s.getLocalPort();
        }
        Path root = RealOsTier.image(dir.resolve("root.qcow2"), "kvmj-nas");
        spec = GuestSpec.builder(NAME).accelerator(Accelerator.TCG).cpus(2).memoryMiB(1024)
                .disk(DiskSpec.file("root", root).format(DiskFormat.QCOW2).bus(DiskBus.VIRTIO_BLK).bootIndex(1).build())
                .disk(nasDisk(1, 1)).disk(nasDisk(2, 2)).disk(nasDisk(3, 3))
                .share(new NinePShare("hostshare", share, SecurityModel.MAPPED_XATTR, true, true))
                .nic(NicSpec.user("net0").forward(PortForward.tcp(smbPort, 445)))
                .build();
        guest = launcher().launch(spec);
        guest.awaitAgent(BOOT).close();
    }

    /** Loop device {@code n} (1..4) as disk {@code disk<index>}, through the parser {@code kvmj run --disk} uses. */
    private DiskSpec nasDisk(int n, int index) {
        return GuestOptionParsers.disk(diskOption(n), index, NAME);
    }

    private String diskOption(int n) {
        return "path=" + loops.get(n - 1) + ",serial=NAS-DISK-" + n + ",wwn=" + WWN + n;
    }

    @AfterAll
    void cleanUp() throws Exception {
        if (guest != null && guest.isAlive()) {
            guest.kill();
        }
        for (String loop : loops) {
            CliProcess.sh(60, "losetup", "-d", loop);
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

    /** Runs {@code script} with {@code sh -ec} through the guest agent; fails the test unless it exits 0. */
    private String sh(String script) {
        try (QgaClient agent = guest.agent()) {
            GuestExecResult r = agent.exec(List.of("sh", "-ec", script), SLOW);
            assertEquals(0, r.exitCode(), script + "\n" + r.stdoutText() + r.stderrText());
            return r.stdoutText();
        }
    }

    /** Waits (bounded by the agent call) until udev has made, or removed, {@code /dev/disk/by-id/NAME}. */
    private void awaitById(String name, boolean present) {
        sh("for i in $(seq 600); do udevadm settle; " + (present ? "" : "! ") + "test -e /dev/disk/by-id/" + name
                + " && exit 0; sleep 0.5; done; ls -l /dev/disk/by-id; exit 1");
    }

    private static String wwn(int n) {
        return "wwn-" + WWN + n;
    }

    @Test
    @Order(1)
    void theHostDisksAppearInTheGuestByTheirSerialAndWwn() {
        assertTrue(guest.argv().stream().anyMatch(a -> a.startsWith("driver=host_device,") && a.contains(loops.get(0))
                && a.contains("aio=native,cache.direct=on") && a.contains("discard=unmap")), guest.argv().toString());
        assertTrue(guest.argv().stream().anyMatch(a -> a.startsWith("scsi-hd,") && a.contains("serial=NAS-DISK-1")
                && a.contains("wwn=" + Long.parseLong(WWN.substring(2) + "1", 16))), guest.argv().toString());
        for (int n = 1; n <= 3; n++) {
            awaitById(wwn(n), true);
        }
        String byId = sh("ls /dev/disk/by-id");
        for (int n = 1; n <= 3; n++) {
            assertTrue(byId.contains(wwn(n)), byId);
            // with a WWN, Debian 12's udev (systemd 252) names the disk scsi-3<WWN>; the serial (VPD page 0x80) is
            // its ID_SCSI_SERIAL, what lsblk -o SERIAL shows
            String props = sh("udevadm info --query=property /dev/disk/by-id/" + wwn(n));
            assertTrue(props.contains("ID_SCSI_SERIAL=NAS-DISK-" + n), "the host-given serial: " + props);
        }
        String dev = sh("readlink -f /dev/disk/by-id/" + wwn(1)).trim();
        String sysfs = sh("d=$(basename " + dev + "); cat /sys/block/$d/queue/logical_block_size "
                + "/sys/block/$d/queue/physical_block_size /sys/block/$d/queue/discard_max_bytes");
        List<String> v = sysfs.lines().toList();
        assertEquals(sysfsOf(loops.get(0), "queue/logical_block_size"), v.get(0), "the host's logical block size");
        assertEquals(sysfsOf(loops.get(0), "queue/physical_block_size"), v.get(1), "the host's physical block size");
        assertFalse(v.get(2).equals("0"), "discard reaches the guest: " + sysfs);
    }

    private static String sysfsOf(String device, String file) {
        try {
            return Files.readString(Path.of("/sys/class/block", Path.of(device).getFileName().toString(), file)).trim();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    @Order(2)
    void theGuestBuildsARaid5AndWritesData() throws Exception {
        // --assume-clean is exact here: the three disks are new sparse files, all zeros, and zero parity is right
        sh("mdadm --create /dev/md/nas --name=nas --level=5 --raid-devices=3 --chunk=16 --assume-clean --run "
                + "/dev/disk/by-id/" + wwn(1) + " /dev/disk/by-id/" + wwn(2) + " /dev/disk/by-id/" + wwn(3)
                + "; mkfs.ext4 -q -L nasdata /dev/md/nas; mkdir -p /srv/array /srv/host; mount /dev/md/nas /srv/array");
        Random random = new Random(17);
        try (QgaClient agent = guest.agent()) {
            for (String name : List.of("photos.bin", "backup.bin")) {
                byte[] data = new byte[6 << 20];
                random.nextBytes(data);
                agent.writeFile("/srv/array/" + name, data);
                sums.put(name, HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data)));
            }
        }
        sh("chmod 0755 /srv/array; chmod 0644 /srv/array/*.bin; cd /srv/array; sha256sum *.bin > /root/array.sha256; "
                + "sync");
        assertChecksums("written");
    }

    /** The guest re-reads the array from the disks (page cache dropped) and compares with the host's sums. */
    private void assertChecksums(String when) {
        String out = sh("sync; echo 3 > /proc/sys/vm/drop_caches; cd /srv/array; sha256sum -c /root/array.sha256; "
                + "sha256sum *.bin");
        for (Map.Entry<String, String> e : sums.entrySet()) {
            assertTrue(out.contains(e.getValue() + "  " + e.getKey()), when + ": " + e.getKey() + "\n" + out);
        }
    }

    @Test
    @Order(3)
    void aDiskPulledOutLeavesTheArrayDegradedAndTheDataIntact() throws Exception {
        CliProcess.Result r = cli.run(300, "disk", "detach", NAME, "disk2", "--json");
        assertEquals(0, r.exit(), r.toString());
        awaitById(wwn(2), false);
        // the kernel fails the vanished member on its next I/O; an admin removes it from the array at once
        sh("mdadm /dev/md/nas --fail detached --remove detached || true");
        String state = sh("mdadm --detail /dev/md/nas; cat /proc/mdstat");
        assertTrue(state.contains("degraded"), state);
        assertTrue(state.contains("[3/2]"), state);
        assertChecksums("degraded (the missing disk's blocks rebuilt from parity on every read)");
    }

    @Test
    @Order(4)
    void aNewDiskIsHotPluggedAndTheArrayRebuildsOntoIt() throws Exception {
        CliProcess.Result r = cli.run(300, "disk", "attach", NAME, diskOption(4), "--json");
        assertEquals(0, r.exit(), r.toString());
        awaitById(wwn(4), true);
        sh("dmesg -C; mdadm /dev/md/nas --add /dev/disk/by-id/" + wwn(4) + "; sleep 1; mdadm --wait /dev/md/nas || true");
        String state = sh("cat /proc/mdstat; mdadm --detail /dev/md/nas; dmesg");
        assertTrue(state.contains("[3/3] [UUU]"), "rebuilt: " + state);
        assertTrue(state.contains("recovery of RAID array") || state.contains("recovery done"),
                "a real recovery ran (not --assume-clean): " + state);
        // every stripe's parity checked against the data after the rebuild
        String mismatches = sh("echo check > /sys/block/$(basename $(readlink -f /dev/md/nas))/md/sync_action; "
                + "sleep 1; mdadm --wait /dev/md/nas || true; cat /sys/block/$(basename $(readlink -f /dev/md/nas))"
                + "/md/mismatch_cnt");
        assertEquals("0", mismatches.trim(), "parity consistent after the rebuild");
        assertChecksums("rebuilt");
    }

    @Test
    @Order(5)
    void theAdminMakesItPermanentAndKvmjStopPowersItOff() throws Exception {
        // as an admin would: the array in mdadm.conf, both mounts in fstab, Samba shares, DHCP on eth0, and the
        // generic kernel (Debian's cloud kernel has no 9p) as the one GRUB boots
        sh("mdadm --detail --scan >> /etc/mdadm/mdadm.conf; "
                + "echo \"LABEL=nasdata /srv/array ext4 defaults,nofail 0 2\" >> /etc/fstab; "
                + "echo \"hostshare /srv/host 9p trans=virtio,version=9p2000.L,ro,nofail 0 0\" >> /etc/fstab; "
                + "printf '9p\\n9pnet_virtio\\n' > /etc/modules-load.d/9p.conf; "
                + "printf 'auto eth0\\niface eth0 inet dhcp\\n' > /etc/network/interfaces.d/eth0; "
                + "v=$(ls /boot | sed -n 's/^vmlinuz-\\(.*-amd64\\)$/\\1/p' | grep -v cloud | sort -V | tail -n 1); "
                + "test -n \"$v\"; ln -sfn boot/vmlinuz-$v /vmlinuz; ln -sfn boot/initrd.img-$v /initrd.img; "
                + "systemctl enable smbd; "
                // for the next boot only (logind reads it when it starts): the power button is ignored, so the
                // last stop has to go down the ladder to the agent
                + "mkdir -p /etc/systemd/logind.conf.d; "
                + "printf '[Login]\\nHandlePowerKey=ignore\\n' > /etc/systemd/logind.conf.d/90-kvmj-it.conf; "
                // provisioned: the appliance boots without cloud-init from now on (its network stays as rendered)
                + "touch /etc/cloud/cloud-init.disabled; sync");
        try (QgaClient agent = guest.agent()) {
            agent.writeFile("/etc/samba/smb.conf", String.join("\n",
                    "[global]", "server role = standalone server", "map to guest = Bad User", "disable netbios = yes",
                    "smb ports = 445", "load printers = no", "printcap name = /dev/null", "log file = /var/log/samba/%m",
                    "[array]", "path = /srv/array", "read only = yes", "guest ok = yes",
                    "[host]", "path = /srv/host", "read only = yes", "guest ok = yes", "").getBytes(StandardCharsets.UTF_8));
        }
        CliProcess.Result r = cli.run(400, "stop", NAME, "--timeout", "300", "--json");
        assertEquals(0, r.exit(), r.toString());
        assertEquals("POWERED_OFF", r.json().path("how").asText(), r.out());
        assertTrue(guest.awaitExit(Duration.ofSeconds(60)).isPresent(), "QEMU ended");
    }

    @Test
    @Order(6)
    void onTheNextBootTheArrayAssemblesByItselfAndSambaExportsItAndTheHostFolder() throws Exception {
        GuestSpec again = spec.toBuilder().clearDisks().disk(spec.disks().get(0))
                .disk(nasDisk(1, 1)).disk(nasDisk(3, 3)).disk(nasDisk(4, 4)).build();
        guest = launcher().launch(again);
        guest.awaitAgent(BOOT).close();
        // the agent can answer before the boot is done (no cloud-init to wait for now), and the nofail mounts do not
        // hold local-fs.target: wait for systemd's startup jobs to end (running, or degraded: either is an answer)
        String state = sh("systemctl is-system-running --wait >/dev/null || true; uname -r; cat /proc/mdstat; "
                + "findmnt -n -o SOURCE,FSTYPE /srv/array; findmnt -n -o SOURCE,FSTYPE /srv/host");
        assertTrue(state.contains("active raid5") && state.contains("[3/3] [UUU]"), "assembled whole: " + state);
        assertTrue(state.contains("ext4") && state.contains("9p"), "both mounted from fstab: " + state);
        assertChecksums("after a reboot");
        sh("for i in $(seq 300); do ip -4 addr show eth0 | grep -q 'inet 10.0.2.' && exit 0; sleep 1; done; exit 1");
        sh("systemctl is-active smbd || systemctl restart smbd; for i in $(seq 120); do ss -ltn | grep -q ':445 ' "
                + "&& exit 0; sleep 1; done; exit 1");

        Path got = dir.resolve("got");
        Files.createDirectories(got);
        String name = sums.keySet().iterator().next();
        CliProcess.Result a = CliProcess.sh(300, "smbclient", "//127.0.0.1/array", "-p", Integer.toString(smbPort),
                "-N", "-m", "SMB3", "-c", "lcd " + got + "; get " + name + "; ls");
        assertEquals(0, a.exit(), a.toString());
        byte[] fetched = Files.readAllBytes(got.resolve(name));
        assertEquals(sums.get(name), HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(fetched)),
                "the host reads the array's file over SMB, byte for byte");
        CliProcess.Result h = CliProcess.sh(300, "smbclient", "//127.0.0.1/host", "-p", Integer.toString(smbPort),
                "-N", "-m", "SMB3", "-c", "lcd " + got + "; get from-host.txt");
        assertEquals(0, h.exit(), h.toString());
        assertEquals(Files.readString(share.resolve("from-host.txt")), Files.readString(got.resolve("from-host.txt")),
                "the host folder went into the guest over 9p and came back out over SMB");

        // the power button is ignored now (set before the first stop): ACPI times out, the agent powers it off; the
        // bound is for both rungs, and a loaded host's Debian needs more than 20 s to stop (seen in CI)
        ShutdownResult r = guest.shutdown(Duration.ofSeconds(45));
        assertEquals(HowEnded.POWERED_OFF, r.how(), r.toString());
        assertEquals(List.of(ShutdownStep.SYSTEM_POWERDOWN, ShutdownStep.AGENT_SHUTDOWN), r.steps(), r.toString());
        assertTrue(r.graceful(), r.toString());
    }
}
