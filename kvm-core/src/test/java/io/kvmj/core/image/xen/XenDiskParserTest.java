package io.kvmj.core.image.xen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvmj.core.image.ImageFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class XenDiskParserTest {
    @Test
    void bookExamples() {
        List<XenDisk> d = XenDiskParser.parseDiskLine(
            "disk = [ 'tap:qcow:/opt/xen/enobarbus/enobarbus.qcow,sda1,w' ,\n"
                + "'tap:qcow:/opt/xen/enobarbus/enobarbus_disk2.qcow,sdb1,w']");
        assertEquals(2, d.size());
        XenDisk a = d.get(0);
        assertEquals("/opt/xen/enobarbus/enobarbus.qcow", a.source());
        assertEquals(ImageFormat.QCOW, a.format());
        assertEquals(XenDiskKind.FILE, a.kind());
        assertEquals("tap:qcow", a.backend());
        assertEquals("sda1", a.target());
        assertFalse(a.readOnly());
        assertEquals("sdb1", d.get(1).target());

        XenDisk lv = XenDiskParser.parseDiskLine("disk = ['phy:/dev/cleopatra/menas,sda1,w']").get(0);
        assertEquals("/dev/cleopatra/menas", lv.source());
        assertEquals(XenDiskKind.BLOCK_DEVICE, lv.kind());
        assertEquals(ImageFormat.RAW, lv.format());
        assertEquals("phy", lv.backend());
    }

    @Test
    void prefixesFormatsAndModes() {
        XenDisk aio = XenDiskParser.parseSpec("tap:aio:/srv/xen/web.img,xvda,w");
        assertEquals(ImageFormat.RAW, aio.format());
        assertEquals("tap:aio", aio.backend());
        XenDisk q2 = XenDiskParser.parseSpec("tap:qcow2:/srv/xen/db.qcow2,xvdb,r");
        assertEquals(ImageFormat.QCOW2, q2.format());
        assertTrue(q2.readOnly());
        XenDisk file = XenDiskParser.parseSpec("file:/srv/xen/old.img,hda,rw");
        assertEquals(XenDiskKind.FILE, file.kind());
        assertEquals("hda", file.target());
        XenDisk vhd = XenDiskParser.parseSpec("tap2:tapdisk:vhd:/srv/a.vhd,xvdc,ro");
        assertEquals(ImageFormat.VPC, vhd.format());
        assertTrue(vhd.readOnly());
        XenDisk shared = XenDiskParser.parseSpec("phy:/dev/vg/cluster,xvdd,w!");
        assertTrue(shared.shared());
        assertFalse(shared.readOnly());
        // xl reads the second positional as the format unless a deprecated prefix came first
        XenDiskException bare = assertThrows(XenDiskException.class, () -> XenDiskParser.parseSpec("/dev/sdb,xvde,w"));
        assertTrue(bare.getMessage().contains("unknown format 'xvde'"), bare.getMessage());
        assertEquals(XenDiskKind.BLOCK_DEVICE, XenDiskParser.parseSpec("/dev/sdb,,xvde,w").kind());
        assertEquals("", XenDiskParser.parseSpec("/dev/sdb,,xvde,w").backend());
        assertEquals(XenDiskKind.FILE, XenDiskParser.parseSpec("/var/lib/xen/a.img,,xvdf,w").kind());
    }

    @Test
    void cdromsIncludingEmptyOnes() {
        XenDisk iso = XenDiskParser.parseSpec("file:/iso/debian.iso,hdc:cdrom,r");
        assertTrue(iso.cdrom());
        assertEquals("hdc", iso.target());
        XenDisk empty = XenDiskParser.parseSpec(",hdc:cdrom,r");
        assertTrue(empty.empty());
        assertTrue(empty.cdrom());
    }

    @Test
    void xlPositionalAndKeywordForms() {
        XenDisk pos = XenDiskParser.parseSpec("/srv/guest.qcow2,qcow2,xvda,rw");
        assertEquals(ImageFormat.QCOW2, pos.format());
        assertEquals("xvda", pos.target());
        XenDisk kw = XenDiskParser.parseSpec("format=raw, vdev=xvdb, access=ro, target=/srv/we,ird.img");
        assertEquals("/srv/we,ird.img", kw.source());
        assertTrue(kw.readOnly());
        assertEquals("xvdb", kw.target());
        XenDisk cd = XenDiskParser.parseSpec("vdev=hdc, devtype=cdrom, target=/iso/x.iso");
        assertTrue(cd.cdrom());
        assertTrue(cd.readOnly(), "CD-ROM without mode is read-only");
    }

    @Test
    void unknownPrefixNamesThePrefix() {
        XenDiskException e = assertThrows(XenDiskException.class,
            () -> XenDiskParser.parseDiskLine("disk=['cow:/mnt/cdrom/rootfs.img 30,sda1,w']"));
        assertTrue(e.getMessage().contains("'cow:'"), e.getMessage());
        assertTrue(e.getMessage().contains("cow:/mnt/cdrom/rootfs.img 30,sda1,w"), e.getMessage());
        XenDiskException tap = assertThrows(XenDiskException.class,
            () -> XenDiskParser.parseSpec("tap:sync:/x.img,xvda,w"));
        assertTrue(tap.getMessage().contains("'tap:sync:'"), tap.getMessage());
        assertTrue(assertThrows(XenDiskException.class, () -> XenDiskParser.parseSpec("iscsi:iqn.2001-04.com.example,xvda,w"))
            .getMessage().contains("'iscsi:'"));
    }

    @Test
    void badEntriesAreClearErrors() {
        assertTrue(assertThrows(XenDiskException.class, () -> XenDiskParser.parseSpec("phy:/dev/x,xvda,rwx"))
            .getMessage().contains("mode 'rwx'"));
        assertTrue(assertThrows(XenDiskException.class, () -> XenDiskParser.parseSpec("phy:/dev/x,,w"))
            .getMessage().contains("device name"));
        assertTrue(assertThrows(XenDiskException.class, () -> XenDiskParser.parseSpec("phy:/dev/x,eth0,w"))
            .getMessage().contains("eth0"));
        assertThrows(XenDiskException.class, () -> XenDiskParser.parseSpec("phy:/dev/x"));
        assertThrows(XenDiskException.class, () -> XenDiskParser.parseSpec("phy:,xvda,w"));
        assertThrows(XenDiskException.class, () -> XenDiskParser.parseSpec("/a.img,vmdk,xvda,w"));
        assertThrows(XenDiskException.class, () -> XenDiskParser.parseSpec("tap:qcow:/a,qcow2,xvda,w"));
        assertThrows(IllegalArgumentException.class, () -> XenDiskParser.parseDiskLine("disk = 'phy:/dev/x,xvda,w'"));
        assertThrows(IllegalArgumentException.class, () -> XenDiskParser.parseDiskLine("disk = [ phy:/dev/x,xvda,w ]"));
        assertThrows(IllegalArgumentException.class, () -> XenDiskParser.parseDiskLine("disk = [ 'phy:/dev/x,xvda,w' 'a,xvdb,w' ]"));
        assertThrows(IllegalArgumentException.class, () -> XenDiskParser.parseDiskLine("vif = [ 'bridge=xenbr0' ]"));
    }

    @Test
    void commentsDoubleQuotesAndTrailingComma() {
        List<XenDisk> d = XenDiskParser.parseDiskLine("disk = [\n  # root\n  \"phy:/dev/vg/root,xvda,w\",\n"
            + "  'file:/srv/swap.img,xvdb,w', # swap\n]");
        assertEquals(List.of("xvda", "xvdb"), d.stream().map(XenDisk::target).toList());
        assertEquals(List.of(), XenDiskParser.parseDiskLine("disk = [ ]"));
    }
}
