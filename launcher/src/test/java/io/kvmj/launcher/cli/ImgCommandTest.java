package io.kvmj.launcher.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code kvmj img ...} through Main.commandLine(), checked against qemu-img's own output. */
class ImgCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;


    @BeforeAll
    static void tools() {
        boolean ok = Files.isExecutable(Path.of("/usr/bin/qemu-img"));
        if (!ok && "true".equals(System.getenv("CI"))) {
            throw new AssertionError("qemu-img missing but CI=true");
        }
        Assumptions.assumeTrue(ok, "qemu-img not installed");
    }

    static InProcessCli.Run run(String... args) {
        return InProcessCli.run(args);
    }

    private static String sh(String... argv) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), String.join(" ", argv) + ": " + out);
        return out;
    }

    private static JsonNode qemuInfo(Path p) throws Exception {
        return JSON.readTree(sh("qemu-img", "info", "--output=json", "-U", p.toString()));
    }

    @Test
    void aMissingImageIsAUsageErrorBeforeQemuImgRuns() throws Exception {
        String missing = dir.resolve("nope.qcow2").toString();
        for (String[] args : new String[][] {{"img", "info", missing}, {"img", "check", missing},
                {"img", "resize", missing, "-100M"}, {"img", "snapshot", "--list", missing},
                {"img", "overlay", missing, dir.resolve("top.qcow2").toString()},
                {"img", "convert", missing, dir.resolve("out.raw").toString()}, {"img", "info", "--json", missing}}) {
            InProcessCli.Run r = run(args);
            assertEquals(2, r.exit(), String.join(" ", args) + ": " + r);
            assertTrue(r.err().contains("no such file: " + missing), r.toString());
            assertTrue(r.errLines() <= 2, "one or two lines: " + r);
            assertFalse(r.err().contains("qemu-img"), "refused before qemu-img ran: " + r);
        }
        assertFalse(Files.exists(dir.resolve("top.qcow2")) || Files.exists(dir.resolve("out.raw")), "nothing written");
    }

    @Test
    void createThenInfoAgreeWithQemuImg() throws Exception {
        Path f = dir.resolve("a.qcow2");
        InProcessCli.Run c = run("img", "create", "--cluster-size", "128K", "--lazy-refcounts", f.toString(), "1G");
        assertEquals(0, c.exit(), c.err());
        JsonNode q = qemuInfo(f);
        assertEquals(1L << 30, q.get("virtual-size").asLong());
        assertEquals(131072, q.get("cluster-size").asLong());

        InProcessCli.Run i = run("img", "info", "--json", f.toString());
        assertEquals(0, i.exit(), i.err());
        JsonNode j = JSON.readTree(i.out());
        for (String field : new String[] {"virtual-size", "cluster-size", "format", "actual-size"}) {
            assertEquals(q.get(field), j.get(field), field);
        }
        assertEquals(q.at("/format-specific/data/lazy-refcounts"), j.at("/format-specific/data/lazy-refcounts"));

        InProcessCli.Run h = run("img", "info", "--header", "--json", f.toString());
        assertEquals(0, h.exit(), h.err());
        JsonNode hj = JSON.readTree(h.out());
        assertEquals(q.get("virtual-size").asLong(), hj.get("virtualSize").asLong());
        assertEquals(17, hj.get("clusterBits").asInt());

        InProcessCli.Run text = run("img", "info", f.toString());
        assertTrue(text.out().contains("virtual size:   1 GiB"), text.out());
        InProcessCli.Run headerText = run("img", "info", "--header", f.toString());
        assertTrue(headerText.out().contains("compatible:     0x1 (lazy refcounts)"), headerText.out());
        assertTrue(headerText.out().contains("incompatible:   0x0"), headerText.out());

        Path vhd = dir.resolve("a.vhd");
        assertEquals(0, new ProcessBuilder("qemu-img", "create", "-q", "-f", "vpc", vhd.toString(), "1M")
            .inheritIO().start().waitFor());
        InProcessCli.Run refused = run("img", "info", "--header", vhd.toString());
        assertEquals(2, refused.exit(), refused.err());
        assertTrue(refused.err().contains("is a vpc image"), refused.err());
        assertEquals(1, refused.err().strip().lines().count(), refused.err());
        assertEquals(2, run("img", "create", f.toString(), "1G").exit(), "refuses to overwrite");
    }

    @Test
    void fullPreallocationPrintsProgressOnStderrAndKeepsJsonClean() throws Exception {
        Path f = dir.resolve("full.raw");
        InProcessCli.Run c = run("img", "create", "-f", "raw", "--preallocation", "full", "--json", f.toString(), "32M");
        assertEquals(0, c.exit(), c.err());
        assertTrue(c.err().contains("preallocating: 100%"), c.err());
        assertEquals("raw", JSON.readTree(c.out()).get("format").asText());
        assertEquals(32L << 20, Files.size(f));
    }

    @Test
    void badSizeAndBadFormatAreUsageErrors() {
        InProcessCli.Run r = run("img", "create", dir.resolve("x.qcow2").toString(), "10X");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("10X"), r.err());
        assertEquals(2, run("img", "create", "-f", "nope", dir.resolve("y").toString(), "1M").exit());
        assertFalse(Files.exists(dir.resolve("x.qcow2")));
    }

    @Test
    void aQemuImgThatCannotRunIsExitOne() throws Exception {
        Path m = Files.writeString(dir.resolve("m.raw"), "x");
        InProcessCli.Run bad = run("img", "info", "--qemu-img", "/nonexistent/qemu-img", m.toString());
        assertEquals(1, bad.exit());
        assertTrue(bad.err().contains("/nonexistent/qemu-img"), bad.err());
    }

    @Test
    void checkCleanAndDirtyImages() throws Exception {
        Path f = dir.resolve("c.qcow2");
        assertEquals(0, run("img", "create", "--lazy-refcounts", f.toString(), "16M").exit());
        InProcessCli.Run ok = run("img", "check", "--json", f.toString());
        assertEquals(0, ok.exit(), ok.err());
        assertEquals(0, JSON.readTree(ok.out()).get("corruptions").asInt());
        new ProcessBuilder("qemu-io", "-f", "qcow2", "-c", "write 0 1M", "-c", "abort", f.toString())
            .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
        InProcessCli.Run bad = run("img", "check", f.toString());
        assertEquals(1, bad.exit(), bad.out());
        assertTrue(bad.out().contains("--repair all"), bad.out());
        InProcessCli.Run fixed = run("img", "check", "--repair", "all", f.toString());
        assertEquals(0, fixed.exit(), fixed.out() + fixed.err());
        assertTrue(sh("qemu-img", "check", f.toString()).contains("No errors"));
    }

    @Test
    void resizeGrowRelativeAndRefuseShrink() throws Exception {
        Path f = dir.resolve("r.qcow2");
        assertEquals(0, run("img", "create", f.toString(), "64M").exit());
        assertEquals(0, run("img", "resize", f.toString(), "+64M").exit());
        assertEquals(128L << 20, qemuInfo(f).get("virtual-size").asLong());
        InProcessCli.Run shrink = run("img", "resize", f.toString(), "32M");
        assertEquals(2, shrink.exit());
        assertTrue(shrink.err().contains("--shrink") || shrink.err().contains("shrink"), shrink.err());
        assertEquals(128L << 20, qemuInfo(f).get("virtual-size").asLong());
        assertEquals(0, run("img", "resize", "--shrink", f.toString(), "32M").exit());
        assertEquals(32L << 20, qemuInfo(f).get("virtual-size").asLong());
    }

    @Test
    void convertWithProgressLines() throws Exception {
        Path src = dir.resolve("s.qcow2");
        assertEquals(0, run("img", "create", src.toString(), "32M").exit());
        sh("qemu-io", "-f", "qcow2", "-c", "write -P 0x3c 0 8M", src.toString());
        Path dst = dir.resolve("d.qcow2");
        InProcessCli.Run c = run("img", "convert", "-O", "qcow2", "-c", src.toString(), dst.toString());
        assertEquals(0, c.exit(), c.err());
        assertTrue(c.err().contains("converting: 100%"), c.err());
        sh("qemu-img", "compare", src.toString(), dst.toString());
        assertEquals(2, run("img", "convert", "-O", "raw", src.toString(), dst.toString()).exit(), "no overwrite");
    }

    @Test
    void snapshotsAndOverlay() throws Exception {
        Path f = dir.resolve("base.qcow2");
        assertEquals(0, run("img", "create", f.toString(), "16M").exit());
        assertEquals(0, run("img", "snapshot", "-c", "clean", f.toString()).exit());
        InProcessCli.Run l = run("img", "snapshot", "-l", "--json", f.toString());
        assertEquals(0, l.exit(), l.err());
        assertEquals("clean", JSON.readTree(l.out()).get(0).get("name").asText());
        assertTrue(sh("qemu-img", "snapshot", "-l", f.toString()).contains("clean"));
        assertEquals(2, run("img", "snapshot", "-c", "a", "-d", "b", f.toString()).exit(), "one action only");
        assertEquals(1, run("img", "snapshot", "-a", "nope", f.toString()).exit());
        assertEquals(0, run("img", "snapshot", "-d", "clean", f.toString()).exit());
        assertFalse(sh("qemu-img", "snapshot", "-l", f.toString()).contains("clean"));

        Path ov = dir.resolve("vm1.qcow2");
        InProcessCli.Run o = run("img", "overlay", "--json", f.toString(), ov.toString());
        assertEquals(0, o.exit(), o.err());
        JsonNode q = qemuInfo(ov);
        assertEquals("base.qcow2", q.get("backing-filename").asText());
        assertEquals("qcow2", q.get("backing-filename-format").asText());
        InProcessCli.Run chain = run("img", "info", "--backing-chain", "--json", ov.toString());
        assertEquals(2, JSON.readTree(chain.out()).size());
        assertEquals(2, run("img", "overlay", f.toString(), ov.toString()).exit(), "overlay exists");
    }
}
