package io.kvmj.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class GuestSpecJsonTest {
    @Test
    void aRichSpecRoundTrips() {
        GuestSpec spec = GuestSpec.builder("vm-1").uuid(UUID.fromString("6f1c0e3a-5b7d-4a77-9d2e-0c1d2e3f4a5b"))
                .machine(MachineType.PC).machineVersion("pc-i440fx-7.2").accelerator(Accelerator.TCG).cpus(2).memoryMiB(384)
                .noReboot(true).startPaused(true)
                .kernel(Path.of("/boot/vmlinuz"), Path.of("/tmp/initrd.img"), "console=ttyS0 quiet")
                .disk(DiskSpec.file("root", Path.of("/var/lib/vm 1/root.qcow2")).format(DiskFormat.QCOW2)
                        .cache(CacheMode.NONE).aio(AioMode.NATIVE).build())
                .disk(DiskSpec.builder("net", DiskSource.nbdTcp("127.0.0.1", 10809, "exp")).readOnly(true).build())
                .disk(DiskSpec.builder("dev", DiskSource.hostDevice(Path.of("/dev/vg0/lv"))).build())
                .cdrom(CdRom.of("cd0", Path.of("/iso/x.iso")))
                .share(NinePShare.of("host", Path.of("/srv")))
                .nic(NicSpec.user("n0").forward(PortForward.tcp(2222, 22)))
                .vnc(VncSpec.loopback(3))
                .serial(SerialSpec.unixSocket(Path.of("/run/c.sock")).withLog(Path.of("/run/c.log")))
                .qmp(QmpEndpoint.unixServer(Path.of("/run/q.sock")))
                .channel(VirtioSerialChannel.guestAgent(Path.of("/run/qga.sock")))
                .cloudInit(CloudInitSpec.builder().rootPassword("pw").hostname("h").build())
                .bootOrder(BootDevice.values()[0])
                .build();
        String json = GuestSpecJson.write(spec);
        assertEquals(spec, GuestSpecJson.read(json), json);
        assertTrue(json.contains("\"kind\" : \"Nbd\""), json);
    }

    @Test
    void unknownPropertiesAndBadValuesAreOneLineErrors() {
        String json = GuestSpecJson.write(GuestSpec.builder("a").build());
        InvalidSpecException e = assertThrows(InvalidSpecException.class,
                () -> GuestSpecJson.read(json.replace("\"nodefaults\"", "\"nodefault\"")));
        assertTrue(e.getMessage().contains("nodefault"), e.getMessage());
        assertThrows(InvalidSpecException.class, () -> GuestSpecJson.read("{\"name\":\"\"}"));
        assertThrows(InvalidSpecException.class, () -> GuestSpecJson.read("not json"));
        assertThrows(InvalidSpecException.class, () -> GuestSpec.builder("a").machineVersion("pc-i440fx-7.2").build());
        assertThrows(InvalidSpecException.class, () -> GuestSpec.builder("a").machine(MachineType.MICROVM)
                .machineVersion("microvm-1").build());
    }
}
