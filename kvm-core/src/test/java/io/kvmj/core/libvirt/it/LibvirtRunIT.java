package io.kvmj.core.libvirt.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.kvmj.core.libvirt.DomainImport;
import io.kvmj.core.libvirt.DomainXml;
import io.kvmj.core.model.Accelerator;
import io.kvmj.core.model.CacheMode;
import io.kvmj.core.model.DiskFormat;
import io.kvmj.core.model.DiskSpec;
import io.kvmj.core.model.GuestSpec;
import io.kvmj.core.model.MacAddresses;
import io.kvmj.core.model.NicSpec;
import io.kvmj.core.model.NinePShare;
import io.kvmj.core.model.QmpEndpoint;
import io.kvmj.core.model.SecurityModel;
import io.kvmj.core.model.SerialSpec;
import io.kvmj.core.model.VirtioSerialChannel;
import io.kvmj.core.qemu.QemuCommandLine;
import io.kvmj.core.qemu.it.QemuUnderTest;
import io.kvmj.core.spec.GuestSpecJson;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A kvmj spec exported to libvirt runs (under a private libvirtd) with the same devices as kvmj's own launch of it:
 * per-disk cache flags for all five modes, the 9p share (tag and security model), the MACs, the channel socket;
 * and {@code virsh dumpxml} of the running domain imports back to the same spec.
 */
class LibvirtRunIT {
    @TempDir
    static Path dir;
    static PrivateLibvirtd libvirt;
    static QemuUnderTest kvmj;
    static GuestSpec spec;
    static final String NAME = "kvmj-lv-it";

    @BeforeAll
    static void start() throws Exception {
        QemuUnderTest.requireQemu();
        GuestSpec.Builder b = GuestSpec.builder(NAME).accelerator(Accelerator.TCG).memoryMiB(128);
        for (CacheMode m : CacheMode.values()) {
            Path img = dir.resolve("d-" + m.qemuName() + ".qcow2");
            PrivateLibvirtd.run(List.of("qemu-img", "create", "-q", "-f", "qcow2", img.toString(), "16M"), 30);
            b.disk(DiskSpec.file("d-" + m.qemuName(), img).format(DiskFormat.QCOW2).cache(m)
                    .disposable(m == CacheMode.UNSAFE).serial("S-" + m.qemuName()).discard(m == CacheMode.NONE).build());
        }
        Files.createDirectories(dir.resolve("share"));
        Files.createDirectories(dir.resolve("share2"));
        b.share(NinePShare.of("hostshare", dir.resolve("share")));
        b.share(NinePShare.of("ro_pass", dir.resolve("share2")).securityModel(SecurityModel.PASSTHROUGH).readOnly(true));
        b.nic(NicSpec.user("net0").mac("52:54:00:12:34:56"));
        b.nic(NicSpec.user("net1"));
        b.serial(SerialSpec.unixSocket(dir.resolve("console.sock")).withLog(dir.resolve("console.log")));
        b.channel(VirtioSerialChannel.guestAgent(dir.resolve("qga.sock")));
        spec = b.build();

        Path lvdir = Files.createDirectories(dir.resolve("libvirtd"));
        libvirt = PrivateLibvirtd.start(lvdir);
        Path xml = dir.resolve("domain.xml");
        Files.writeString(xml, DomainXml.export(spec, Accelerator.TCG).xml());
        PrivateLibvirtd.run(List.of("virt-xml-validate", xml.toString(), "domain"), 30);
        libvirt.virsh("define", xml.toString());
        libvirt.virsh("start", NAME, "--paused");

        // kvmj's own launch of the same spec, on copies of the images (QEMU locks an image against a second writer)
        Path k = Files.createDirectories(dir.resolve("k"));
        GuestSpec.Builder ob = spec.toBuilder().clearDisks();
        for (DiskSpec d : spec.disks()) {
            Path src = ((io.kvmj.core.model.DiskSource.File) d.source()).path();
            Path copy = Files.copy(src, k.resolve(src.getFileName()));
            ob.disk(DiskSpec.builder(d.id(), io.kvmj.core.model.DiskSource.file(copy)).format(d.format()).cache(d.cache())
                    .disposable(d.disposable()).serial(d.serial()).discard(d.discard()).build());
        }
        GuestSpec own = ob.build().toBuilder().clearSerials().clearChannels().startPaused(true)
                .serial(SerialSpec.unixSocket(dir.resolve("k-console.sock"))).channel(VirtioSerialChannel.guestAgent(dir.resolve("k-qga.sock")))
                .qmp(QmpEndpoint.unixServer(dir.resolve("k-qmp.sock"))).name(NAME + "-kvmj").build();
        // same guest name for the same derived MACs
        own = own.toBuilder().name(NAME).build();
        kvmj = QemuUnderTest.startWithServerSocket(QemuCommandLine.defaults().render(own), dir.resolve("k-qmp.sock"), dir);
    }

    @AfterAll
    static void stop() throws Exception {
        if (kvmj != null) {
            kvmj.close();
        }
        if (libvirt != null) {
            try {
                libvirt.virsh("destroy", NAME);
            } catch (RuntimeException ignored) {
                // not running
            }
            libvirt.close();
        }
    }

    /** query-block entries keyed by the kvmj disk id ({@code /machine/peripheral/ID/...}, libvirt: {@code ua-ID}). */
    private static Map<String, JsonNode> blocks(JsonNode queryBlock) {
        Map<String, JsonNode> out = new HashMap<>();
        for (JsonNode dev : queryBlock) {
            String qdev = dev.path("qdev").asText();
            if (!qdev.startsWith("/machine/peripheral/") || dev.get("inserted") == null) {
                continue;
            }
            String id = qdev.substring("/machine/peripheral/".length()).split("/")[0];
            out.put(id.startsWith(DomainXml.USER_ALIAS_PREFIX) ? id.substring(3) : id, dev.get("inserted"));
        }
        return out;
    }

    @Test
    void everyDiskHasTheSameCacheFlagsFormatAndFileAsUnderKvmj() throws Exception {
        Map<String, JsonNode> lv = blocks(libvirt.qmp(NAME, "query-block", null));
        Map<String, JsonNode> own = blocks(kvmj.qmp().execute("query-block"));
        for (CacheMode m : CacheMode.values()) {
            String id = "d-" + m.qemuName();
            JsonNode a = lv.get(id);
            JsonNode k = own.get(id);
            assertNotNull(a, id + " missing under libvirt: " + lv.keySet());
            assertNotNull(k, id + " missing under kvmj: " + own.keySet());
            assertEquals(k.get("cache"), a.get("cache"), id);
            assertEquals(m.direct(), a.get("cache").get("direct").asBoolean(), id);
            assertEquals(m.noFlush(), a.get("cache").get("no-flush").asBoolean(), id);
            assertEquals(m.writeCache(), a.get("cache").get("writeback").asBoolean(), id);
            assertEquals(k.get("drv"), a.get("drv"), id);
            assertEquals(Path.of(k.get("file").asText()).getFileName(), Path.of(a.get("file").asText()).getFileName(), id);
            assertEquals(dir.resolve(id + ".qcow2").toString(), a.get("file").asText());
            assertEquals(k.get("ro"), a.get("ro"), id);
            assertEquals("S-" + m.qemuName(), libvirt.qmp(NAME, "qom-get",
                    "{\"path\":\"/machine/peripheral/ua-" + id + "\",\"property\":\"serial\"}").asText());
        }
        assertEquals(5, lv.size(), lv.keySet().toString());
    }

    @Test
    void sharesHaveTheSameMountTagAndSecurityModel() throws Exception {
        List<String> lvArgv = libvirt.qemuArgv(NAME);
        List<String> ownArgv = QemuCommandLine.defaults().render(spec).argv();
        for (NinePShare s : spec.shares()) {
            String lvFsdev = lvArgv.stream().filter(a -> a.startsWith("local,") && a.contains("path=" + s.path())).findFirst().orElseThrow();
            String ownFsdev = ownArgv.stream().filter(a -> a.startsWith("local,") && a.contains("path=" + s.path())).findFirst().orElseThrow();
            assertEquals(model(ownFsdev), model(lvFsdev), lvFsdev + " vs " + ownFsdev);
            assertEquals(s.readOnly(), ownFsdev.contains(",readonly"), ownFsdev);
            assertEquals(s.readOnly(), lvFsdev.contains(",readonly"), lvFsdev); // libvirt writes a bare "readonly"
            assertEquals(ownFsdev.contains("multidevs=remap"), lvFsdev.contains("multidevs=remap"), lvFsdev);
        }
        JsonNode tags = libvirt.qmp(NAME, "qom-list", "{\"path\":\"/machine/peripheral\"}");
        int found = 0;
        for (JsonNode t : tags) {
            if (t.get("name").asText().startsWith("fs")) {
                String tag = libvirt.qmp(NAME, "qom-get", "{\"path\":\"/machine/peripheral/" + t.get("name").asText()
                        + "\",\"property\":\"mount_tag\"}").asText();
                assertTrue(spec.shares().stream().anyMatch(s -> s.tag().equals(tag)), tag);
                found++;
            }
        }
        assertEquals(spec.shares().size(), found);
    }

    /** QEMU's security_model, with libvirt's spelling "mapped" = "mapped-xattr" (QEMU's alias). */
    private static String model(String fsdev) {
        for (String kv : fsdev.split(",")) {
            if (kv.startsWith("security_model=")) {
                String v = kv.substring("security_model=".length());
                return v.equals("mapped") ? "mapped-xattr" : v;
            }
        }
        return "";
    }

    @Test
    void nicsHaveTheSameMacs() throws Exception {
        for (int i = 0; i < spec.nics().size(); i++) {
            NicSpec n = spec.nics().get(i);
            String lv = libvirt.qmp(NAME, "qom-get", "{\"path\":\"/machine/peripheral/ua-" + n.id() + "\",\"property\":\"mac\"}").asText();
            String own = kvmj.qmp().execute("qom-get", Map.of("path", "/machine/peripheral/" + n.id() + "-nic", "property", "mac")).asText();
            assertEquals(own, lv);
            assertEquals(n.mac() != null ? n.mac() : MacAddresses.derive(NAME, i), lv);
        }
    }

    @Test
    void serialAndAgentChannelListenOnTheSpecsSockets() throws Exception {
        String chardevs = libvirt.qmp(NAME, "query-chardev", null).toString();
        assertTrue(chardevs.contains("unix:" + dir.resolve("qga.sock") + ",server=on"), chardevs);
        assertTrue(chardevs.contains("unix:" + dir.resolve("console.sock") + ",server=on"), chardevs);
        String own = kvmj.qmp().execute("query-chardev").toString();
        assertTrue(own.contains("unix:" + dir.resolve("k-qga.sock") + ",server=on"), own);
    }

    @Test
    void dumpxmlOfTheRunningDomainImportsBackToTheSameSpec() throws Exception {
        String dumped = libvirt.virsh("dumpxml", NAME);
        DomainImport back = DomainXml.importXml(dumped);
        assertEquals(GuestSpecJson.write(spec), GuestSpecJson.write(back.spec()));
        assertEquals(spec, back.spec());
        assertTrue(back.notImported().stream().allMatch(n -> n.where().equals("/domain/os/type/@machine")), back.notImported().toString());
        // without kvmj's metadata libvirt's own elements still give every disk, share and NIC as exported
        DomainImport plain = DomainXml.importXml(dumped.replaceAll("(?s)<metadata>.*</metadata>", ""));
        assertEquals(spec.disks(), plain.spec().disks());
        assertEquals(spec.shares(), plain.spec().shares());
        assertEquals(spec.nics(), plain.spec().nics());
        assertEquals(spec.serials(), plain.spec().serials());
        assertEquals(spec.channels(), plain.spec().channels());
        assertEquals(spec.memory(), plain.spec().memory());
    }

    /** Foreign XML: what virt-install (Debian's virtinst) writes for this daemon imports with the asked-for devices. */
    @Test
    void virtInstallsDomainXmlImports() throws Exception {
        Path img = dir.resolve("vi1.qcow2");
        PrivateLibvirtd.run(List.of("qemu-img", "create", "-q", "-f", "qcow2", img.toString(), "16M"), 30);
        String xml = PrivateLibvirtd.run(List.of("virt-install", "--connect", libvirt.uri(), "--virt-type", "qemu",
                "--print-xml", "--name", "vi1", "--memory", "512", "--vcpus", "2", "--osinfo", "detect=on,require=off",
                "--disk", "path=" + img + ",cache=directsync,io=native,bus=virtio,serial=abc",
                "--filesystem", dir.resolve("share") + ",hostshare", "--network", "user,mac=52:54:00:aa:bb:cc",
                "--graphics", "vnc,listen=127.0.0.1,port=5907", "--import", "--noautoconsole"), 120);
        DomainImport imp = DomainXml.importXml(xml);
        GuestSpec g = imp.spec();
        assertEquals("vi1", g.name());
        assertEquals(Accelerator.TCG, g.accelerator());
        assertEquals(2, g.smp().cpus());
        assertEquals(512, g.memory().sizeMiB());
        DiskSpec d = g.disks().get(0);
        assertEquals(img, ((io.kvmj.core.model.DiskSource.File) d.source()).path());
        assertEquals(CacheMode.DIRECTSYNC, d.cache());
        assertEquals(io.kvmj.core.model.AioMode.NATIVE, d.aio());
        assertEquals(io.kvmj.core.model.DiskBus.VIRTIO_BLK, d.bus());
        assertEquals("abc", d.serial());
        assertEquals(DiskFormat.QCOW2, d.format());
        assertEquals(List.of(new NinePShare("hostshare", dir.resolve("share"), SecurityModel.MAPPED_XATTR, false, false)), g.shares());
        assertEquals("52:54:00:aa:bb:cc", g.nics().get(0).mac());
        assertEquals(new io.kvmj.core.model.VncSpec("127.0.0.1", 7, null), g.vnc());
        // what kvmj does not model is listed, e.g. the USB controllers and tablet virt-install adds
        assertTrue(imp.notImported().stream().anyMatch(n -> n.where().contains("input")), imp.notImported().toString());
    }
}
