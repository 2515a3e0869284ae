package io.kvmj.core.image.xen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvmj.core.image.ImageFormat;
import io.kvmj.core.model.DiskBus;
import io.kvmj.core.model.DiskSource;
import io.kvmj.core.model.DiskSpec;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Xen's documented disk lines against kvmj's reading of them. xl cannot run here, so each expected answer
 * is the document's own statement; the cases and their sources are in {@code src/test/resources/xen/
 * xl-disk-corpus.txt} (from xen-project/xen docs/misc/xl-disk-configuration.txt and tools/examples).
 */
class XenDiskCorpusTest {
    private record Expected(String target, String format, String vdev, String access, String devtype) {
    }

    private record Case(int line, String spec, Expected expected, String refusal) {
    }

    @TestFactory
    Stream<DynamicTest> documentedSpecs() throws IOException {
        List<Case> cases = load();
        assertTrue(cases.size() > 40, "corpus read: " + cases.size());
        return cases.stream().map(c -> DynamicTest.dynamicTest("line " + c.line() + ": " + c.spec(), () -> check(c)));
    }

    private static void check(Case c) {
        if (c.refusal() != null) {
            XenDiskException e = assertThrows(XenDiskException.class, () -> XenDiskParser.parseSpec(c.spec()));
            assertTrue(e.getMessage().contains(c.refusal()), e.getMessage());
            assertTrue(e.getMessage().contains(c.spec()), "names the entry: " + e.getMessage());
            return;
        }
        XenDisk d = XenDiskParser.parseSpec(c.spec());
        Expected x = c.expected();
        assertEquals(x.target().equals("-") ? "" : x.target(), d.source(), "target");
        assertEquals(x.format().equals("vhd") ? ImageFormat.VPC : ImageFormat.of(x.format()), d.format(), "format");
        assertEquals(x.vdev(), d.target(), "vdev");
        assertEquals(x.access().equals("ro"), d.readOnly(), "access");
        assertEquals(x.devtype().equals("cdrom"), d.cdrom(), "devtype");

        // and what kvmj makes of it: the same path, access and kind of device, or a refusal naming the format
        if (d.format() != ImageFormat.RAW && d.format() != ImageFormat.QCOW2) {
            XenDiskException e = assertThrows(XenDiskException.class, () -> XenDiskMapper.map(List.of(d), DiskBus.VIRTIO_BLK));
            assertTrue(e.getMessage().contains("kvmj img convert"), e.getMessage());
            return;
        }
        XenDiskMapper.Mapping m = XenDiskMapper.map(List.of(d), DiskBus.VIRTIO_BLK);
        if (d.cdrom()) {
            assertEquals(0, m.disks().size());
            if (d.empty()) {
                assertTrue(m.notes().stream().anyMatch(n -> n.contains(d.target())), m.notes().toString());
            } else {
                assertEquals(Path.of(d.source()), m.cdroms().get(0).iso());
            }
            return;
        }
        DiskSpec disk = m.disks().get(0);
        assertEquals(d.readOnly(), disk.readOnly());
        DiskSource want = d.source().startsWith("/dev/") ? new DiskSource.HostDevice(Path.of(d.source()))
            : new DiskSource.File(Path.of(d.source()));
        assertEquals(want, disk.source());
    }

    /** The doc's own domain-config example: one disk and one CD-ROM. */
    @Test
    void docDiskLine() {
        List<XenDisk> d = XenDiskParser.parseDiskLine("disk = [ '/dev/vg/guest-volume,,hda', '/root/image.iso,,hdc,cdrom' ]");
        assertEquals(List.of("/dev/vg/guest-volume", "/root/image.iso"), d.stream().map(XenDisk::source).toList());
        assertEquals(List.of(false, true), d.stream().map(XenDisk::cdrom).toList());
        XenDiskMapper.Mapping m = XenDiskMapper.map(d, DiskBus.VIRTIO_BLK);
        assertEquals(1, m.disks().size());
        assertEquals(1, m.cdroms().size());
    }

    private static List<Case> load() throws IOException {
        List<Case> out = new ArrayList<>();
        try (InputStream in = XenDiskCorpusTest.class.getResourceAsStream("/xen/xl-disk-corpus.txt")) {
            String[] lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n", -1);
            Expected expected = null;
            String refusal = null;
            for (int i = 0; i < lines.length; i++) {
                String l = lines[i];
                if (l.isBlank() || l.startsWith("#")) {
                    continue;
                }
                if (l.startsWith("expect ")) {
                    String[] f = l.substring(7).split("\\|", -1);
                    expected = new Expected(f[0], f[1], f[2], f[3], f[4]);
                    refusal = null;
                } else if (l.startsWith("refuse ")) {
                    refusal = l.substring(7);
                    expected = null;
                } else {
                    out.add(new Case(i + 1, l, expected, refusal));
                }
            }
        }
        return out;
    }
}
