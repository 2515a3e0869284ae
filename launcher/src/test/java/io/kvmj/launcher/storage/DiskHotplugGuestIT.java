package io.kvmj.launcher.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.kvmj.core.model.Accelerator;
import io.kvmj.core.model.DiskBus;
import io.kvmj.core.model.DiskFormat;
import io.kvmj.core.model.DiskSpec;
import io.kvmj.core.model.GuestSpec;
import io.kvmj.core.model.InvalidSpecException;
import io.kvmj.core.model.MachineType;
import io.kvmj.launcher.Guest;
import io.kvmj.launcher.LaunchOptions;
import io.kvmj.launcher.Launcher;
import io.kvmj.launcher.SpecFile;
import io.kvmj.launcher.cli.CliProcess;
import io.kvmj.launcher.cli.CliProcess.Result;
import io.kvmj.launcher.demo.BusyboxLocator;
import io.kvmj.launcher.demo.GuestKernel;
import io.kvmj.launcher.demo.Initramfs;
import io.kvmj.launcher.demo.KvmjCache;
import io.kvmj.launcher.testutil.Requirements;
import io.kvmj.launcher.testutil.TestRuntime;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Disk hot-plug on one booted demo guest (busybox, q35, TCG, two spare root ports, a SCSI disk at launch so it has a
 * virtio-scsi controller): through {@link DiskHotplug} and through {@code kvmj disk attach|detach} (the fat jar), the
 * guest sees a virtio-blk disk appear in /sys/block, reads the pattern the host wrote, and sees it go; the recorded
 * spec.json follows; bad input is refused.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DiskHotplugGuestIT {
    private static final String MARK = "KVMJ-HP: ";
    private static final String INIT = """
        #!/bin/sh
        . /lib/kvmj/init-common.sh
        load_modules
        echo "KVMJ-HP: ready"
        while read cmd dev; do
          case "$cmd" in
            present)
              i=0; while [ ! -b /dev/$dev ] && [ $i -lt 600 ]; do usleep 100000; i=$((i+1)); done
              echo "KVMJ-HP: present $dev $(dd if=/dev/$dev bs=512 count=1 2>/dev/null | head -c 12)" ;;
            gone)
              i=0; while [ -e /sys/block/$dev ] && [ $i -lt 600 ]; do usleep 100000; i=$((i+1)); done
              [ -e /sys/block/$dev ] && echo "KVMJ-HP: still $dev" || echo "KVMJ-HP: gone $dev" ;;
          esac
        done
        """;
    private static final String NAME = "hp-it";

    private Path dir;
    private Guest guest;
    private CliProcess cli;

    @BeforeAll
    void boot() throws Exception {
        Path qemu = Requirements.qemu();
        GuestKernel kernel = Requirements.guestKernel();
        Path runtime = TestRuntime.use();
        cli = CliProcess.require(runtime);
        dir = Files.createTempDirectory(Path.of("/tmp"), "kvmj-hp-");
        BusyboxLocator.Busybox busybox = BusyboxLocator.locate(KvmjCache.defaultRoot(System.getenv()));
        Path initrd = dir.resolve("initrd.img");
        Initramfs.write(initrd, busybox.path(), kernel.modules(), INIT);
        for (String n : List.of("s0", "a", "b", "c", "d")) {
            image(n);
        }
        GuestSpec spec = GuestSpec.builder(NAME).machine(MachineType.Q35).accelerator(Accelerator.TCG).memoryMiB(256)
            .noReboot(true).hotplugSlots(2)
            .kernel(kernel.kernel(), initrd, "console=ttyS0 panic=-1 quiet loglevel=3 rdinit=/init")
            .disk(DiskSpec.file("disk0", dir.resolve("s0.raw")).format(DiskFormat.RAW).bus(DiskBus.VIRTIO_SCSI).build())
            .build();
        guest = Launcher.create(LaunchOptions.defaults().withQemuBinary(qemu)).launch(spec);
        guest.awaitConsole(MARK + "ready", Duration.ofSeconds(240));
    }

    @AfterAll
    void tearDown() throws IOException {
        if (guest != null) {
            guest.kill();
            guest.close();
        }
        if (dir != null) {
            try (var s = Files.walk(dir)) {
                s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** A 1 MiB raw image whose first sector starts with {@code HOTPLUG-<name>}. */
    private void image(String name) throws IOException {
        byte[] data = new byte[1 << 20];
        byte[] tag = ("HOTPLUG-" + name.toUpperCase() + "\n").getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(tag, 0, data, 0, tag.length);
        Files.write(dir.resolve(name + ".raw"), data);
    }

    private String ask(String command, String expectPrefix) {
        guest.send(command + "\n");
        return guest.awaitConsole(MARK + "((?:" + expectPrefix + ").*)", Duration.ofSeconds(120)).group(1).strip();
    }

    private List<String> recordedDisks() {
        return SpecFile.read(guest.runtimeDir().path()).orElseThrow().disks().stream().map(DiskSpec::id).toList();
    }

    private Result kvmj(String... args) throws Exception {
        return cli.run(120, args);
    }

    @Test
    void apiAttachDetachSeenByTheGuest() {
        DiskHotplug hp = new DiskHotplug(guest.qmp(), guest.runtimeDir().path());
        String id = hp.nextDiskId();
        assertEquals("disk1", id);
        AttachedDisk a = hp.attach(DiskSpec.file(id, dir.resolve("a.raw")).format(DiskFormat.RAW).build());
        assertEquals("disk1", a.drive());
        assertEquals("hotplug0", a.bus());
        assertEquals(List.of("disk1-fmt", "disk1-file"), a.nodeNames());
        assertEquals(List.of("disk0", "disk1"), recordedDisks());
        assertEquals("present vda HOTPLUG-A", ask("present vda", "present"));
        DriveInfo d = Drives.resolve(Drives.query(guest.qmp()), "disk1");
        assertEquals(dir.resolve("a.raw").toString(), d.file());

        hp.detach("disk1", Duration.ofSeconds(60));
        assertEquals("gone vda", ask("gone vda", "gone|still"));
        assertFalse(Drives.nodeNames(guest.qmp()).contains("disk1-fmt"), "blockdev-del removed the nodes");
        assertFalse(Drives.nodeNames(guest.qmp()).contains("disk1-file"));
        assertEquals(List.of("disk0"), recordedDisks());

        // a SCSI disk onto the controller the guest was launched with; it goes without the guest's cooperation
        AttachedDisk s = hp.attach(DiskSpec.file(hp.nextDiskId(), dir.resolve("b.raw")).format(DiskFormat.RAW)
            .bus(DiskBus.VIRTIO_SCSI).serial("NAS-B").build());
        assertEquals("scsi0.0", s.bus());
        assertTrue(Drives.query(guest.qmp()).stream().anyMatch(x -> x.id().equals(s.drive())));
        assertEquals(List.of("disk0", s.drive()), recordedDisks());
        hp.detach(s.drive(), Duration.ofSeconds(60));
        assertTrue(Drives.query(guest.qmp()).stream().noneMatch(x -> x.id().equals(s.drive())));
        assertEquals(List.of("disk0"), recordedDisks());

        // refusals: unknown drive (lists the drives), IDE, a second writer of an open image
        UnknownDriveException unknown = assertThrows(UnknownDriveException.class,
            () -> hp.detach("nope", Duration.ofSeconds(5)));
        assertTrue(unknown.getMessage().contains("'nope'") && unknown.getMessage().contains("disk0"), unknown.getMessage());
        InvalidSpecException ide = assertThrows(InvalidSpecException.class, () -> hp.attach(DiskSpec.file("disk9",
            dir.resolve("d.raw")).format(DiskFormat.RAW).bus(DiskBus.IDE).build()));
        assertTrue(ide.getMessage().contains("cannot be hot-plugged"), ide.getMessage());
        IllegalArgumentException twice = assertThrows(IllegalArgumentException.class, () -> hp.attach(
            DiskSpec.file("disk9", dir.resolve("s0.raw")).format(DiskFormat.RAW).build()));
        assertTrue(twice.getMessage().contains("already open"), twice.getMessage());
        assertEquals(List.of("disk0"), recordedDisks(), "refusals changed nothing");
    }

    @Test
    void cliAttachDetachOnTheSameGuest() throws Exception {
        Result at = kvmj("disk", "attach", NAME, "path=" + dir.resolve("c.raw") + ",format=raw,cache=none", "--json");
        assertEquals(0, at.exit(), at.toString());
        JsonNode j = at.json();
        String drive = j.at("/drive/drive").asText();
        assertTrue(drive.matches("disk[1-9]"), at.out());
        assertEquals("attach", j.path("operation").asText());
        assertEquals("none", j.at("/drive/cache/mode").asText(), at.out());
        assertTrue(j.path("bus").asText().startsWith("hotplug"), at.out());
        assertTrue(recordedDisks().contains(drive));
        assertEquals("present vda HOTPLUG-C", ask("present vda", "present"));

        // the second spare root port takes one more; then a q35 guest with 2 slots is full
        Result second = kvmj("disk", "attach", NAME, dir.resolve("d.raw").toString());
        assertEquals(0, second.exit(), second.toString());
        Result full = kvmj("disk", "attach", NAME, "path=" + dir.resolve("a.raw"), "--json");
        assertEquals(2, full.exit(), full.toString());
        assertTrue(full.json().at("/error/message").asText().contains("no free hot-plug slot"), full.toString());
        List<DriveInfo> drives = Drives.query(guest.qmp());
        assertEquals(3, drives.size(), drives.toString());
        Result ide = kvmj("disk", "attach", NAME, "path=" + dir.resolve("a.raw") + ",bus=ide");
        assertEquals(2, ide.exit(), ide.toString());
        assertEquals(1, ide.err().strip().lines().count(), ide.toString());
        Result unknown = kvmj("disk", "detach", NAME, "nope", "--json");
        assertEquals(1, unknown.exit(), unknown.toString());
        String msg = unknown.json().at("/error/message").asText();
        assertTrue(msg.contains("'nope'") && msg.contains("disk0"), unknown.toString());

        String other = drives.get(2).id();
        for (String dr : List.of(drive, other)) {
            Result det = kvmj("disk", "detach", NAME, dr, "--json");
            assertEquals(0, det.exit(), det.toString());
            assertEquals(dr, det.json().path("drive").asText());
            assertEquals("detach", det.json().path("operation").asText());
        }
        assertEquals("gone vda", ask("gone vda", "gone|still"));
        assertEquals(List.of("disk0"), recordedDisks());
        assertEquals(List.of("disk0"), Drives.query(guest.qmp()).stream().map(DriveInfo::id).toList());
    }
}
