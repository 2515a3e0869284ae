package io.kvmj.core.image.block;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvmj.core.image.ImageFormat;
import io.kvmj.core.image.ImageHeader;
import io.kvmj.core.image.ImageHeaderReader;
import io.kvmj.core.image.ImageTestSupport;
import io.kvmj.core.image.QemuHolder;
import io.kvmj.core.image.ImageInUseException;
import io.kvmj.core.image.ImageInfo;
import io.kvmj.core.image.Overlays;
import io.kvmj.core.image.QemuImg;
import io.kvmj.core.model.DiskFormat;
import io.kvmj.core.model.DiskSpec;
import io.kvmj.core.model.GuestSpec;
import io.kvmj.core.qemu.QemuCommandLine;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real loop device: detection, size, header reading and QEMU opening it with the recommended options. */
class BlockDeviceLoopIT {
    @TempDir
    Path dir;

    @Test
    void loopDeviceIsDetectedSizedAndOpenableByQemu() throws Exception {
        Path backing = dir.resolve("disk.img");
        long size = 48L << 20;
        try (RandomAccessFile f = new RandomAccessFile(backing.toFile(), "rw")) {
            f.setLength(size);
        }
        try (LoopDevice loop = LoopDevice.attach(backing)) {
            BlockDevices devices = new BlockDevices();
            assertTrue(BlockDevices.isBlockDevice(loop.device));
            Path link = Files.createSymbolicLink(dir.resolve("by-id-link"), loop.device);
            BlockDevice d = devices.inspect(link);
            assertEquals(loop.device, d.device());
            assertEquals(link, d.path());
            assertEquals(BlockDeviceKind.LOOP, d.kind());
            assertEquals(loop.device.getFileName().toString(), d.name());
            assertEquals(size, d.sizeBytes());
            assertEquals(devices.sysfsSize(d.major(), d.minor()), d.sizeBytes());
            assertEquals(7, d.major(), "loop major");
            assertEquals(backing.toRealPath().toString(), d.loopBackingFile());
            for (io.kvmj.core.ffi.NativeAccess ffi : List.of(io.kvmj.core.ffi.NativeAccess.jna(),
                io.kvmj.core.ffi.NativeAccess.jnr())) {
                assertEquals(size, new IoctlBlockSizer(ffi).sizeOf(loop.device), "BLKGETSIZE64 via " + ffi.name());
            }
            io.kvmj.core.ffi.NativeException notBlock = assertThrows(io.kvmj.core.ffi.NativeException.class,
                () -> new IoctlBlockSizer().sizeOf(backing));
            assertTrue(notBlock.getMessage().contains("BLKGETSIZE64"), notBlock.getMessage());
            String blockdev = exec("blockdev", "--getsize64", loop.device.toString()).strip();
            assertEquals(Long.parseLong(blockdev), d.sizeBytes());

            // raw device: the header reader sizes it; after qemu-img writes qcow2 onto it, it reads qcow2
            ImageHeaderReader reader = new ImageHeaderReader(p -> devices.inspect(p).sizeBytes());
            ImageHeader raw = reader.read(loop.device);
            assertEquals(ImageFormat.RAW, raw.format());
            assertEquals(size, raw.virtualSize());
            ImageTestSupport.exec("qemu-img", "create", "-q", "-f", "qcow2", loop.device.toString(), "1G");
            assertEquals(1L << 30, reader.read(loop.device).virtualSize());

            // QEMU accepts the recommended host_device + cache.direct=on + aio=native nodes, as the renderer writes them
            DiskRecommendation r = d.recommendation();
            if (ImageTestSupport.hasTool("qemu-system-x86_64")) {
                List<String> nodes = blockdevs(r.disk("proto0"));
                assertTrue(nodes.get(0).startsWith("driver=host_device,"), nodes.toString());
                assertTrue(nodes.get(0).contains(",aio=native,cache.direct=on,"), nodes.toString());
                try (QemuHolder q = QemuHolder.start(nodes, dir)) {
                    assertTrue(q.alive(), "QEMU accepted " + nodes);
                }
                try (QemuHolder q = QemuHolder.start(blockdevs(r.disk("disk0").format(DiskFormat.QCOW2)), dir)) {
                    // QEMU has the qcow2 on the device open read-write: an overlay on it must be refused
                    assertTrue(q.alive());
                    Overlays overlays = new Overlays(new QemuImg());
                    assertThrows(ImageInUseException.class,
                        () -> overlays.create(loop.device, dir.resolve("ov.qcow2"), Overlays.Options.defaults()));
                }
                ImageInfo ov = new Overlays(new QemuImg()).create(loop.device, dir.resolve("ov.qcow2"),
                    new Overlays.Options(false, null));
                assertEquals(loop.device.toString(), ov.backingFilename());
                assertEquals("qcow2", ov.backingFormat());
            }
        }
    }

    /** The {@code -blockdev} arguments the one argv renderer writes for this disk. */
    private static List<String> blockdevs(DiskSpec.Builder disk) {
        GuestSpec spec = GuestSpec.builder("loop").disk(disk.build()).build();
        return QemuCommandLine.defaults().render(spec).valuesOf("-blockdev");
    }

    private static String exec(String... a) {
        return ImageTestSupport.exec(a);
    }
}
