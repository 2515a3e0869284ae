package io.kvmj.launcher.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.kvmj.core.model.GuestSpec;
import io.kvmj.core.spec.GuestSpecJson;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code run --dry-run --json} → spec → {@code run --spec}, {@code export --format libvirt}, {@code import libvirt}. */
class SpecExportImportCliTest {
    @TempDir
    Path dir;

    @Test
    void dryRunSpecRunsExportsAndImportsBackTheSame() throws Exception {
        Path img = Files.createFile(dir.resolve("a.img"));
        Path share = Files.createDirectories(dir.resolve("share"));
        InProcessCli.Run dry = InProcessCli.run("run", "--name", "spec1", "--accel", "tcg", "--memory", "256",
                "--disk", "path=" + img + ",cache=writethrough,serial=S1", "--share", share + ",tag=hs",
                "--network", "user,mac=52:54:00:01:02:03", "--dry-run", "--json");
        assertEquals(0, dry.exit(), dry.err());
        JsonNode o = Json.MAPPER.readTree(dry.out());
        assertEquals(1, o.get("spec").get("kvmjSpecVersion").asInt());
        Path run = Files.writeString(dir.resolve("run.json"), dry.out());
        GuestSpec spec = GuestSpecJson.read(dry.out());

        InProcessCli.Run again = InProcessCli.run("run", "--spec", run.toString(), "--dry-run", "--json");
        assertEquals(0, again.exit(), again.err());
        assertEquals(o.get("argv"), Json.MAPPER.readTree(again.out()).get("argv"));

        InProcessCli.Run xml = InProcessCli.run("export", "--spec", run.toString(), "--format", "libvirt");
        assertEquals(0, xml.exit(), xml.err());
        assertTrue(xml.out().contains("cache=\"writethrough\"") && xml.out().contains("52:54:00:01:02:03"), xml.out());
        Path domain = Files.writeString(dir.resolve("vm.xml"), xml.out());
        InProcessCli.Run imp = InProcessCli.run("import", "libvirt", domain.toString());
        assertEquals(0, imp.exit(), imp.err());
        assertEquals(spec, GuestSpecJson.read(imp.out()));
        InProcessCli.Run impJson = InProcessCli.run("import", "libvirt", domain.toString(), "--json");
        assertEquals(spec, GuestSpecJson.read(impJson.out()));
        assertTrue(Json.MAPPER.readTree(impJson.out()).get("notImported").isArray());
    }

    @Test
    void badInputIsOneLineAndExit2() throws Exception {
        Path ci = Files.writeString(dir.resolve("ci.json"), "{\"kvmjSpecVersion\":1,\"name\":\"c\",\"cloudInit\":{\"disable\":true}}");
        InProcessCli.Run r = InProcessCli.run("export", "--spec", ci.toString(), "--format", "libvirt");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("cloudInit"), r.err());
        assertEquals("", r.out());
        r = InProcessCli.run("run", "--spec", ci.toString(), "--memory", "64", "--dry-run");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("--memory cannot be combined with --spec"), r.err());
        Path bad = Files.writeString(dir.resolve("bad.json"), "{\"kvmjSpecVersion\":7,\"name\":\"c\"}");
        r = InProcessCli.run("run", "--spec", bad.toString(), "--dry-run");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("kvmjSpecVersion"), r.err());
        Path xen = Files.writeString(dir.resolve("xen.xml"), "<domain type='xen'><name>x</name></domain>");
        r = InProcessCli.run("import", "libvirt", xen.toString());
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("type kvm or qemu"), r.err());
        r = InProcessCli.run("export", "--spec", dir.resolve("missing.json").toString(), "--format", "libvirt");
        assertEquals(2, r.exit());
        r = InProcessCli.run("run", "--dry-run");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("--name is required"), r.err());
    }
}
