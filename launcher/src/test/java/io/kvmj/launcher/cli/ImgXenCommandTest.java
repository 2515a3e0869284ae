package io.kvmj.launcher.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImgXenCommandTest {
    @TempDir
    Path dir;

    private static InProcessCli.Run run(String... args) {
        return InProcessCli.run(args);
    }

    @Test
    void configFileToJson() throws Exception {
        Path cfg = Files.writeString(dir.resolve("web.cfg"), "name = 'web'\nmemory = 512\n"
            + "disk = [ 'phy:/dev/vg/web,xvda,w',\n        'tap:aio:/srv/xen/swap.img,xvdb,w' ]\nvif = [ '' ]\n");
        InProcessCli.Run r = run("img", "xen", "--json", "--config", cfg.toString());
        assertEquals(0, r.exit(), r.err());
        JsonNode doc = new ObjectMapper().readTree(r.out());
        assertEquals(2, doc.get("xen").size());
        assertEquals("/dev/vg/web", doc.at("/xen/0/source").asText());
        assertEquals("BLOCK_DEVICE", doc.at("/xen/0/kind").asText());
        assertEquals(2, doc.get("disks").size());
        assertEquals("NONE", doc.at("/disks/0/cache").asText());
    }

    @Test
    void textOutputAndErrors() {
        InProcessCli.Run ok = run("img", "xen", "--disk", "disk = ['file:/srv/a.img,hda,r']");
        assertEquals(0, ok.exit(), ok.err());
        assertTrue(ok.out().contains("file /srv/a.img") && ok.out().contains("read-only"), ok.out());
        InProcessCli.Run bad = run("img", "xen", "--disk", "disk = ['cow:/mnt/rootfs.img,sda1,w']");
        assertEquals(2, bad.exit());
        assertTrue(bad.err().contains("'cow:'"), bad.err());
        assertEquals(2, run("img", "xen").exit());
    }

    @Test
    void readmeFormWithAPositionalSettingAndAMissingConfig() {
        InProcessCli.Run positional = run("img", "xen", "disk = ['phy:/dev/vg/vm,xvda,w']");
        assertEquals(0, positional.exit(), positional.err());
        assertTrue(positional.out().contains("host_device /dev/vg/vm"), positional.out());
        InProcessCli.Run missing = run("img", "xen", "--config", "/nonexistent");
        assertEquals(2, missing.exit(), missing.err());
        assertEquals("kvmj img xen: --config /nonexistent: no such file", missing.err().strip());
        InProcessCli.Run both = run("img", "xen", "disk = []", "--disk", "disk = []");
        assertEquals(2, both.exit(), both.err());
        assertEquals(0, run("img", "xen", "--bus", "scsi", "disk = ['phy:/dev/vg/vm,xvda,w']").exit());
    }
}
