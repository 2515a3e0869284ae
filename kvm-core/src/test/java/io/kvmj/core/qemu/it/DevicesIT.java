package io.kvmj.core.qemu.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.kvmj.core.model.Accelerator;
import io.kvmj.core.model.CdRom;
import io.kvmj.core.model.DiskSpec;
import io.kvmj.core.model.Firmware;
import io.kvmj.core.model.GuestSpec;
import io.kvmj.core.model.HostNodePolicy;
import io.kvmj.core.model.MemoryBackend;
import io.kvmj.core.model.MemorySpec;
import io.kvmj.core.model.NicModel;
import io.kvmj.core.model.NicSpec;
import io.kvmj.core.model.NinePShare;
import io.kvmj.core.model.NumaNode;
import io.kvmj.core.model.PortForward;
import io.kvmj.core.model.QmpEndpoint;
import io.kvmj.core.model.SerialSpec;
import io.kvmj.core.model.SmpTopology;
import io.kvmj.core.model.UsbHostDevice;
import io.kvmj.core.model.VncSpec;
import io.kvmj.core.model.MacAddresses;
import io.kvmj.core.qemu.QemuCommand;
import io.kvmj.core.qemu.QemuCommandLine;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One q35 guest (TCG, paused) with most model features; checked through QMP: query-memdev, query-chardev,
 * query-vnc, query-pci, qom-list/qom-get, query-name/uuid, and the pidfile. QMP runs in client mode (kvmj listens).
 */
class DevicesIT {
    @TempDir
    static Path dir;
    static QemuUnderTest qemu;
    static QemuCommand cmd;
    static final UUID ID = UUID.randomUUID();
    static int qmpTcpPort;
    static final int VNC_DISPLAY = 40 + ThreadLocalRandom.current().nextInt(900);

    @BeforeAll
    static void start() throws Exception {
        QemuUnderTest.requireQemu();
        try (java.net.ServerSocket free = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            qmpTcpPort = free.getLocalPort();
        }
        Path share = Files.createDirectories(dir.resolve("share dir,with=comma"));
        Path pw = Files.writeString(dir.resolve("vnc.pw"), "s3cret");
        Path disk = QemuImages.create(dir.resolve("root.qcow2"), "qcow2", "32M");
        Path iso = Files.write(dir.resolve("boot.iso"), new byte[2048 * 16]);
        Path ovmf = Path.of("/usr/share/OVMF/OVMF_CODE_4M.fd");
        Path vars = dir.resolve("vars.fd");
        Files.copy(Path.of("/usr/share/OVMF/OVMF_VARS_4M.fd"), vars);
        Files.createDirectories(dir.resolve("mem"));
        MemorySpec mem = MemorySpec.ofMiB(256).withNuma(List.of(
                new NumaNode(0, 0, 0, MemoryBackend.file("mem0", 128, dir.resolve("mem")).share(true).build()),
                new NumaNode(1, 1, 1, MemoryBackend.memfd("mem1", 128).hostNodes(HostNodePolicy.BIND, 0).build())))
                .withBalloon(true).withMemLock(false);
        GuestSpec spec = GuestSpec.builder("devices-it").uuid(ID).accelerator(Accelerator.TCG).startPaused(true)
                .smp(new SmpTopology(2, 1, 2, 1)).memory(mem).sandbox(true).pidfile(dir.resolve("qemu.pid"))
                .firmware(Firmware.ovmf(ovmf, vars))
                .disk(DiskSpec.file("root", disk).format(io.kvmj.core.model.DiskFormat.QCOW2).bootIndex(0).build())
                .cdrom(CdRom.of("cd0", iso).bootIndex(1))
                .share(NinePShare.of("hostshare", share))
                .share(NinePShare.of("ro_share", share).readOnly(true))
                .nic(NicSpec.user("net0").forward(PortForward.tcp(20000 + ThreadLocalRandom.current().nextInt(20000), 22)).restrict(true))
                .nic(NicSpec.user("net1").model(NicModel.E1000))
                .vnc(VncSpec.loopback(VNC_DISPLAY).withPasswordFile(pw))
                .serial(SerialSpec.file(dir.resolve("serial.log")))
                .serial(SerialSpec.unixSocket(dir.resolve("serial.sock")))
                .usb(UsbHostDevice.byId(0x1d6b, 0x0002))
                .qmp(QmpEndpoint.unixClient(dir.resolve("kvmj.sock")))
                .qmp(QmpEndpoint.unixServer(dir.resolve("qmp2.sock")))
                .qmp(QmpEndpoint.tcp("127.0.0.1", qmpTcpPort))
                .rng(true)
                .build();
        cmd = QemuCommandLine.defaults().render(spec);
        qemu = QemuUnderTest.startWithClientSocket(cmd, dir.resolve("kvmj.sock"), dir);
    }

    @AfterAll
    static void stop() {
        if (qemu != null) {
            qemu.close();
        }
    }

    private JsonNode qmp(String c) throws Exception { return qemu.qmp().execute(c); }

    private JsonNode qomGet(String path, String prop) throws Exception {
        return qemu.qmp().execute("qom-get", Map.of("path", path, "property", prop));
    }

    @Test
    void nameUuidPidfileAndPaused() throws Exception {
        assertEquals("devices-it", qmp("query-name").get("name").asText());
        assertEquals(ID.toString(), qmp("query-uuid").get("UUID").asText());
        assertEquals(String.valueOf(qemu.process().pid()), Files.readString(dir.resolve("qemu.pid")).trim());
        assertEquals("prelaunch", qmp("query-status").get("status").asText());
    }

    @Test
    void memoryBackendsFileAndMemfd() throws Exception {
        JsonNode memdevs = qmp("query-memdev");
        assertEquals(2, memdevs.size(), memdevs.toString());
        for (JsonNode m : memdevs) {
            assertEquals(128L * 1024 * 1024, m.get("size").asLong());
            if (m.get("id").asText().equals("mem0")) {
                assertTrue(m.get("share").asBoolean());
            } else {
                assertEquals("mem1", m.get("id").asText());
                assertEquals("bind", m.get("policy").asText());
                assertEquals("[0]", m.get("host-nodes").toString());
            }
        }
        assertEquals("memory-backend-file", qomGet("/objects/mem0", "type").asText());
        assertEquals(dir.resolve("mem").toString(), qomGet("/objects/mem0", "mem-path").asText());
        assertEquals("memory-backend-memfd", qomGet("/objects/mem1", "type").asText());
        JsonNode cpus = qmp("query-cpus-fast");
        assertEquals(2, cpus.size());
    }

    @Test
    void chardevsForQmpAndSerials() throws Exception {
        List<String> labels = new ArrayList<>();
        for (JsonNode c : qmp("query-chardev")) {
            labels.add(c.get("label").asText() + "=" + c.get("filename").asText());
        }
        String all = labels.toString();
        // qmp0 is the client-mode monitor: QEMU connected out to our socket (connected, not a server)
        assertTrue(labels.contains("qmp0=unix:"), all);
        assertTrue(all.contains("qmp1=disconnected:unix:" + dir.resolve("qmp2.sock") + ",server=on"), all);
        assertTrue(labels.contains("serial0=file"), all);
        assertTrue(labels.contains("qmp2=disconnected:tcp:127.0.0.1:" + qmpTcpPort + ",server=on"), all);
        assertTrue(all.contains("serial1=disconnected:unix:" + dir.resolve("serial.sock") + ",server=on"), all);
        assertTrue(Files.exists(dir.resolve("serial.log")));
    }

    @Test
    void vncOnLoopbackWithPassword() throws Exception {
        JsonNode vnc = qmp("query-vnc");
        assertTrue(vnc.get("enabled").asBoolean());
        assertEquals("127.0.0.1", vnc.get("host").asText());
        assertEquals(String.valueOf(5900 + VNC_DISPLAY), vnc.get("service").asText());
        assertEquals("vnc", vnc.get("auth").asText());
    }

    @Test
    void pciDevicesPresent() throws Exception {
        List<String> ids = new ArrayList<>();
        for (JsonNode bus : qmp("query-pci")) {
            collect(bus.get("devices"), ids);
        }
        for (String want : List.of("root", "fs0-dev", "fs1-dev", "net0-nic", "net1-nic", "rng0-dev", "balloon0", "xhci0", "video0")) {
            assertTrue(ids.contains(want), want + " not in " + ids);
        }
        assertEquals("e1000", qomGet("/machine/peripheral/net1-nic", "type").asText());
        assertEquals(MacAddresses.derive("devices-it", 0), qomGet("/machine/peripheral/net0-nic", "mac").asText());
        assertEquals("hostshare", qomGet("/machine/peripheral/fs0-dev", "mount_tag").asText());
        assertEquals("virtio-9p-pci", qomGet("/machine/peripheral/fs0-dev", "type").asText());
    }

    @Test
    void qomListShowsUsbHostAndCdrom() throws Exception {
        List<String> names = new ArrayList<>();
        for (JsonNode n : qemu.qmp().execute("qom-list", Map.of("path", "/machine/peripheral"))) {
            names.add(n.get("name").asText());
        }
        assertTrue(names.containsAll(List.of("usbhost0", "cd0", "root", "xhci0")), names.toString());
        assertEquals("ide-cd", qomGet("/machine/peripheral/cd0", "type").asText());
        JsonNode block = qmp("query-block");
        assertTrue(block.toString().contains(dir.resolve("boot.iso").toString()), block.toString());
    }

    private static void collect(JsonNode devices, List<String> out) {
        if (devices == null) {
            return;
        }
        for (JsonNode d : devices) {
            if (d.hasNonNull("qdev_id")) {
                out.add(d.get("qdev_id").asText());
            }
            JsonNode bridge = d.get("pci_bridge");
            if (bridge != null) {
                collect(bridge.get("devices"), out);
            }
        }
    }
}
