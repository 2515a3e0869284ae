package io.kvmj.core.libvirt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvmj.core.model.CacheMode;
import io.kvmj.core.model.DiskBus;
import io.kvmj.core.model.DiskFormat;
import io.kvmj.core.model.DiskSpec;
import io.kvmj.core.model.GuestSpec;
import io.kvmj.core.model.Accelerator;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** {@link DomainXml#hotplugDisk}: the very {@code <disk>} the domain export writes for the same disk, on its own. */
class HotplugDiskXmlTest {
    @Test
    void theDiskElementIsTheOneTheDomainExportWrites() {
        DiskSpec d = DiskSpec.file("disk1", Path.of("/vm/a&b's.qcow2")).format(DiskFormat.QCOW2).cache(CacheMode.NONE)
                .readOnly(true).serial("S-1").build();
        String alone = DomainXml.hotplugDisk(d, "vda").xml();
        assertTrue(alone.startsWith("<disk "), alone);
        assertTrue(alone.contains("<source file=\"/vm/a&amp;b's.qcow2\"/>"), "escaped by the DOM writer: " + alone);
        assertTrue(alone.contains("<target bus=\"virtio\" dev=\"vda\"/>"), alone);
        assertTrue(alone.contains("<alias name=\"ua-disk1\"/>") && alone.contains("<readonly/>")
                && alone.contains("<serial>S-1</serial>") && alone.contains("cache=\"none\""), alone);
        String domain = DomainXml.export(GuestSpec.builder("vm1").accelerator(Accelerator.TCG).disk(d).build(),
                Accelerator.TCG).xml();
        String inDomain = domain.substring(domain.indexOf("<disk "), domain.indexOf("</disk>") + "</disk>".length());
        assertEquals(alone.strip(), inDomain.replaceAll("\n    ", "\n").strip());
    }

    @Test
    void whatCannotBeHotPluggedSoIsRefused() {
        DiskSpec scsi = DiskSpec.file("disk1", Path.of("/vm/a.raw")).format(DiskFormat.RAW).bus(DiskBus.VIRTIO_SCSI)
                .bootIndex(2).build();
        LibvirtRefusedException e = assertThrows(LibvirtRefusedException.class, () -> DomainXml.hotplugDisk(scsi, "vdb"));
        assertEquals(2, e.refusals().size(), e.getMessage());
        assertTrue(e.getMessage().contains("bus=virtio"), e.getMessage());
    }
}
