package io.kvmj.core.qemu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kvmj.core.host.HostEnvironment;
import io.kvmj.core.model.CacheMode;
import io.kvmj.core.model.DiskBus;
import io.kvmj.core.model.DiskFormat;
import io.kvmj.core.model.DiskSpec;
import io.kvmj.core.model.GuestSpec;
import io.kvmj.core.model.InvalidSpecException;
import io.kvmj.core.model.MachineType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The QMP form of a hot-plugged disk is the launch-time form of the same disk; spare root ports render last. */
class DiskHotplugArgsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;
    QemuCommandLine renderer;

    @BeforeEach
    void setUp() throws Exception {
        renderer = new QemuCommandLine("qemu-system-x86_64", HostEnvironment.rootedAt(Files.createDirectories(tmp.resolve("root"))));
    }

    private static JsonNode json(String s) throws Exception {
        return JSON.readTree(s);
    }

    @Test
    void virtioBlkOnARootPortMatchesTheCommandLineForm() throws Exception {
        Path img = Files.createFile(tmp.resolve("a,b.raw"));
        DiskSpec d = DiskSpec.file("disk1", img).format(DiskFormat.RAW).cache(CacheMode.WRITETHROUGH).serial("S1")
                .readOnly(true).bootIndex(3).build();
        GuestSpec running = GuestSpec.builder("g").hotplugSlots(2).build();
        DiskHotplugArgs a = renderer.renderDiskHotplug(running, d, "hotplug0");
        assertEquals("disk1", a.deviceId());
        assertEquals(List.of("disk1-fmt", "disk1-file"), a.nodeNames());
        assertEquals(json("{\"driver\":\"file\",\"node-name\":\"disk1-file\",\"filename\":\"" + img + "\",\"aio\":\"threads\","
                + "\"cache\":{\"direct\":false,\"no-flush\":false},\"read-only\":true}"), a.blockdevAdd().get(0));
        assertEquals(json("{\"driver\":\"raw\",\"node-name\":\"disk1-fmt\",\"file\":\"disk1-file\","
                + "\"cache\":{\"direct\":false,\"no-flush\":false},\"read-only\":true}"), a.blockdevAdd().get(1));
        assertEquals(json("{\"driver\":\"virtio-blk-pci\",\"id\":\"disk1\",\"bus\":\"hotplug0\",\"drive\":\"disk1-fmt\","
                + "\"write-cache\":\"off\",\"serial\":\"S1\",\"bootindex\":3}"), a.deviceAdd());

        // the same disk at launch: the same keys and values (a comma escaped only on the command line)
        List<String> argv = renderer.render(GuestSpec.builder("g").disk(d).build()).args();
        assertTrue(argv.contains("driver=file,node-name=disk1-file,filename=" + img.toString().replace(",", ",,")
                + ",aio=threads,cache.direct=off,cache.no-flush=off,read-only=on"), argv.toString());
        assertTrue(argv.contains("virtio-blk-pci,id=disk1,drive=disk1-fmt,write-cache=off,serial=S1,bootindex=3"), argv.toString());
    }

    @Test
    void scsiGoesOntoTheControllerAndPcNeedsNoPort() throws Exception {
        Path img = Files.createFile(tmp.resolve("b.raw"));
        DiskSpec scsi = DiskSpec.file("disk2", img).format(DiskFormat.RAW).bus(DiskBus.VIRTIO_SCSI)
                .serial("0123456789abcdefghijklmnop").build();
        JsonNode dev = renderer.renderDiskHotplug(GuestSpec.builder("g").build(), scsi, null).deviceAdd();
        assertEquals("scsi-hd", dev.path("driver").asText());
        assertEquals("scsi0.0", dev.path("bus").asText());
        assertEquals("0123456789abcdefghijklmnop", dev.path("device_id").asText());
        DiskSpec blk = DiskSpec.file("disk3", img).format(DiskFormat.RAW).build();
        JsonNode pc = renderer.renderDiskHotplug(GuestSpec.builder("g").machine(MachineType.PC).build(), blk, null).deviceAdd();
        assertTrue(!pc.has("bus"), pc.toString());
    }

    @Test
    void refusesWhatCannotBeHotPlugged() throws Exception {
        Path img = Files.createFile(tmp.resolve("c.raw"));
        GuestSpec running = GuestSpec.builder("g").disk(DiskSpec.file("disk0", img).format(DiskFormat.RAW).build()).build();
        Path other = Files.createFile(tmp.resolve("d.raw"));
        InvalidSpecException ide = assertThrows(InvalidSpecException.class, () -> renderer.renderDiskHotplug(running,
                DiskSpec.file("disk1", other).format(DiskFormat.RAW).bus(DiskBus.SATA).build(), "hotplug0"));
        assertTrue(ide.getMessage().contains("cannot be hot-plugged"), ide.getMessage());
        InvalidSpecException noSlot = assertThrows(InvalidSpecException.class, () -> renderer.renderDiskHotplug(running,
                DiskSpec.file("disk1", other).format(DiskFormat.RAW).build(), null));
        assertTrue(noSlot.getMessage().contains("no free hot-plug slot"), noSlot.getMessage());
        InvalidSpecException twice = assertThrows(InvalidSpecException.class, () -> renderer.renderDiskHotplug(running,
                DiskSpec.file("disk1", img).format(DiskFormat.RAW).build(), "hotplug0"));
        assertTrue(twice.getMessage().contains("already attached"), twice.getMessage());
        InvalidSpecException dup = assertThrows(InvalidSpecException.class, () -> renderer.renderDiskHotplug(running,
                DiskSpec.file("disk0", other).format(DiskFormat.RAW).build(), "hotplug0"));
        assertTrue(dup.getMessage().contains("duplicate"), dup.getMessage());
        assertThrows(InvalidSpecException.class, () -> renderer.renderDiskHotplug(running,
                DiskSpec.file("disk1", other).format(DiskFormat.RAW).cache(CacheMode.UNSAFE).build(), "hotplug0"));
    }

    @Test
    void spareRootPortsRenderLastOnQ35Only() {
        List<String> a = renderer.render(GuestSpec.builder("g").hotplugSlots(2).build()).args();
        assertEquals(List.of("-device", "pcie-root-port,id=hotplug0,bus=pcie.0,chassis=1",
                "-device", "pcie-root-port,id=hotplug1,bus=pcie.0,chassis=2"), a.subList(a.size() - 4, a.size()));
        assertEquals(List.of("hotplug0", "hotplug1"), QemuCommandLine.hotplugPorts(GuestSpec.builder("g").hotplugSlots(2).build()));
        assertTrue(renderer.render(GuestSpec.builder("g").machine(MachineType.PC).hotplugSlots(2).build()).args().stream()
                .noneMatch(s -> s.contains("pcie-root-port")));
        assertThrows(InvalidSpecException.class, () -> renderer.render(GuestSpec.builder("g").machine(MachineType.MICROVM)
                .hotplugSlots(1).build()));
        assertThrows(InvalidSpecException.class, () -> GuestSpec.builder("g").hotplugSlots(17).build());
    }

    @Test
    void aDiskWithAPciSlotIsRenderedLastInItsSlotAndSurvivesTheSpecJson() throws Exception {
        Path img = Files.createFile(tmp.resolve("h.raw"));
        DiskSpec placed = DiskSpec.file("disk1", img).format(DiskFormat.RAW)
                .pciSlot(io.kvmj.core.model.PciSlot.of("hotplug1", null)).build();
        GuestSpec q35 = GuestSpec.builder("g").machine(MachineType.Q35).hotplugSlots(2)
                .disk(DiskSpec.file("disk0", img).format(DiskFormat.RAW).readOnly(true).build()).disk(placed).build();
        List<String> argv = renderer.render(q35).args();
        int port = argv.indexOf("pcie-root-port,id=hotplug1,bus=pcie.0,chassis=2");
        int dev = -1;
        for (int i = 0; i < argv.size(); i++) {
            if (argv.get(i).startsWith("virtio-blk-pci,id=disk1,bus=hotplug1,drive=")) {
                dev = i;
            }
        }
        assertTrue(port > 0 && dev > port && dev == argv.size() - 1, "after the root ports, last: " + argv);
        assertTrue(argv.stream().anyMatch(a -> a.startsWith("virtio-blk-pci,id=disk0,drive=")), argv.toString());
        assertEquals(q35, io.kvmj.core.spec.GuestSpecJson.read(io.kvmj.core.spec.GuestSpecJson.write(q35)));

        GuestSpec pc = GuestSpec.builder("g").machine(MachineType.PC).disk(placed.toBuilder()
                .pciSlot(io.kvmj.core.model.PciSlot.of("pci.0", 0x28)).build()).build();
        assertTrue(renderer.render(pc).args().stream().anyMatch(a -> a.startsWith("virtio-blk-pci,id=disk1,bus=pci.0,")
                && a.contains(",addr=5.0")), renderer.render(pc).args().toString());
        InvalidSpecException noPort = assertThrows(InvalidSpecException.class, () -> renderer.render(q35.toBuilder()
                .hotplugSlots(1).build()));
        assertTrue(noPort.getMessage().contains("hotplug1"), noPort.getMessage());
    }
}
