package io.kvmj.core.qemu.it;

import io.kvmj.core.model.Accelerator;
import io.kvmj.core.model.DiskBus;
import io.kvmj.core.model.DiskSpec;
import io.kvmj.core.model.GuestSpec;
import io.kvmj.core.model.MachineType;
import io.kvmj.core.model.MemorySpec;
import io.kvmj.core.model.NicSpec;
import io.kvmj.core.model.NinePShare;
import io.kvmj.core.model.QmpEndpoint;
import io.kvmj.core.model.SerialSpec;
import io.kvmj.core.qemu.QemuCommandLine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** microvm (virtio-mmio devices) and pc (PIIX IDE) boards accept the rendered argv. */
class MachineVariantsIT {
    @TempDir
    Path dir;

    @Test
    void microvmWithVirtioMmioDevices() throws Exception {
        QemuUnderTest.requireQemu();
        Path img = QemuImages.create(dir.resolve("m.raw"), "raw", "8M");
        Path share = Files.createDirectories(dir.resolve("share"));
        GuestSpec s = GuestSpec.builder("micro").machine(MachineType.MICROVM).accelerator(Accelerator.TCG).startPaused(true)
                .memory(MemorySpec.ofMiB(128).withBalloon(true)).disk(DiskSpec.file("vd", img).build())
                .nic(NicSpec.user("n0")).share(NinePShare.of("sh", share)).rng(true)
                .serial(SerialSpec.file(dir.resolve("console.log")))
                .qmp(QmpEndpoint.unixServer(dir.resolve("q.sock"))).build();
        try (QemuUnderTest q = QemuUnderTest.startWithServerSocket(QemuCommandLine.defaults().render(s), dir.resolve("q.sock"), dir)) {
            assertEquals("virtio-blk-device", type(q, "vd"));
            assertEquals("virtio-net-device", type(q, "n0-nic"));
            assertEquals("virtio-9p-device", type(q, "fs0-dev"));
            assertEquals("virtio-rng-device", type(q, "rng0-dev"));
            assertEquals("virtio-balloon-device", type(q, "balloon0"));
            assertEquals(128L * 1024 * 1024, q.qmp().execute("query-memory-size-summary").get("base-memory").asLong());
        }
    }

    @Test
    void pcWithIdeDisk() throws Exception {
        QemuUnderTest.requireQemu();
        Path img = QemuImages.create(dir.resolve("p.qcow2"), "qcow2", "8M");
        GuestSpec s = GuestSpec.builder("pcguest").machine(MachineType.PC).accelerator(Accelerator.TCG).startPaused(true)
                .disk(DiskSpec.file("hda", img).format(io.kvmj.core.model.DiskFormat.QCOW2).bus(DiskBus.IDE).build())
                .qmp(QmpEndpoint.unixServer(dir.resolve("q.sock"))).build();
        try (QemuUnderTest q = QemuUnderTest.startWithServerSocket(QemuCommandLine.defaults().render(s), dir.resolve("q.sock"), dir)) {
            assertEquals("ide-hd", type(q, "hda"));
            assertTrue(!q.qmp().execute("query-kvm").get("enabled").asBoolean(), "TCG");
            String machine = q.qmp().execute("qom-get", Map.of("path", "/machine", "property", "type")).asText();
            assertTrue(machine.startsWith("pc-i440fx"), machine);
        }
    }

    // Accelerator.AUTO (-accel kvm -accel tcg) is covered by golden tests only: on this host KVM initialises, so QEMU
    // does not fall back, and then aborts ("failed to set MSR 0x10a") - the launcher must resolve AUTO itself.

    private static String type(QemuUnderTest q, String id) throws Exception {
        return q.qmp().execute("qom-get", Map.of("path", "/machine/peripheral/" + id, "property", "type")).asText();
    }
}
