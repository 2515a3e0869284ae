package io.kvmj.core.qemu.it;

import io.kvmj.core.model.Accelerator;
import io.kvmj.core.model.DiskBus;
import io.kvmj.core.model.DiskSpec;
import io.kvmj.core.model.GuestSpec;
import io.kvmj.core.model.QmpEndpoint;
import io.kvmj.core.qemu.QemuCommand;
import io.kvmj.core.qemu.QemuCommandLine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Serials exactly as long as each bus carries (20 bytes virtio-blk/IDE/SATA, 36 bytes scsi-hd) are accepted by
 * real QEMU (paused q35, TCG) and read back verbatim with qom-get; the 36-byte scsi-hd serial is also the
 * device_id, so VPD page 0x83 is not cut to 20 bytes either.
 */
class SerialLimitsIT {
    @TempDir
    Path dir;

    @Test
    void serialsAtTheLimitArriveWhole() throws Exception {
        QemuUnderTest.requireQemu();
        Map<String, String> serials = new LinkedHashMap<>();
        serials.put("vblk", "VB,0123456789abcdefg");                      // 20 bytes, a comma that must be escaped
        serials.put("scsi", "SC-0123456789abcdefghijklmnopqrstuvw");       // 36 bytes
        serials.put("ide", "ID-0123456789abcdefg");                        // 20 bytes
        serials.put("sata", "SA-ü123456789abcdef");                        // 20 bytes, 19 chars
        DiskBus[] buses = {DiskBus.VIRTIO_BLK, DiskBus.VIRTIO_SCSI, DiskBus.IDE, DiskBus.SATA};
        GuestSpec.Builder b = GuestSpec.builder("serial-limits").accelerator(Accelerator.TCG).startPaused(true)
                .qmp(QmpEndpoint.unixServer(dir.resolve("q.sock")));
        int i = 0;
        for (Map.Entry<String, String> e : serials.entrySet()) {
            DiskBus bus = buses[i++];
            assertEquals(bus.maxSerialBytes(), e.getValue().getBytes(StandardCharsets.UTF_8).length, e.getKey());
            Path img = Files.write(dir.resolve(e.getKey() + ".raw"), new byte[1024 * 1024]);
            b.disk(DiskSpec.file(e.getKey(), img).bus(bus).serial(e.getValue()).build());
        }
        QemuCommand cmd = QemuCommandLine.defaults().render(b.build());
        try (QemuUnderTest qemu = QemuUnderTest.startWithServerSocket(cmd, dir.resolve("q.sock"), dir)) {
            for (Map.Entry<String, String> e : serials.entrySet()) {
                String got = qemu.qmp().execute("qom-get", Map.of("path", "/machine/peripheral/" + e.getKey(),
                        "property", "serial")).asText();
                assertEquals(e.getValue(), got, e.getKey() + "; argv " + cmd.shellQuoted());
            }
            assertEquals(serials.get("scsi"), qemu.qmp().execute("qom-get", Map.of("path", "/machine/peripheral/scsi",
                    "property", "device_id")).asText());
        }
    }
}
