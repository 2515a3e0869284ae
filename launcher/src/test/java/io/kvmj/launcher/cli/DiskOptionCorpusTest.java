package io.kvmj.launcher.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.kvmj.core.model.DiskBus;
import io.kvmj.core.model.DiskFormat;
import io.kvmj.core.model.DiskSource;
import io.kvmj.core.model.DiskSpec;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Element;

/**
 * {@code --disk} against the real tools, answers computed at test time:
 * <ul>
 *   <li>format detection without {@code format=}: every format {@code qemu-img create} writes, on a file and on
 *       a loop block device, compared with {@code qemu-img info --output=json}'s {@code format} (QEMU 7.2);</li>
 *   <li>the option vocabulary: {@code --disk} strings in virt-install's own syntax (the forms of its man page,
 *       virt-install(1) in Debian's virtinst 4.1: {@code --disk /some/storage/path[,opt1=val1]...},
 *       {@code path=} ("existing media can be a file or block device"), {@code driver.io=}, {@code driver.type=},
 *       {@code cache=}, {@code bus=}/{@code target.bus=}, {@code readonly=}, {@code serial=} with the page's
 *       example serial; plus {@code io=}, {@code driver.cache=} and {@code "…"} quoting, which its parser
 *       accepts), compared with the {@code <disk>} element of {@code virt-install --connect test:///default
 *       --print-xml} (Debian's virtinst) on the same files.</li>
 * </ul>
 */
class DiskOptionCorpusTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;

    private static String loop;

    @BeforeAll
    static void setUp() throws IOException {
        require("qemu-img");
        qemuImg("create", "-q", "-f", "qcow2", dir.resolve("q.qcow2").toString(), "1M");
        Files.write(dir.resolve("c,d.img"), new byte[1 << 20]);
        try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(dir.resolve("loop.img").toFile(), "rw")) {
            f.setLength(64L << 20); // sparse
        }
        Result r = exec("losetup", "--find", "--show", dir.resolve("loop.img").toString());
        loop = r.code() == 0 ? r.output().strip() : null;
    }

    @AfterAll
    static void tearDown() {
        if (loop != null) {
            exec("losetup", "-d", loop);
        }
    }

    @TestFactory
    Stream<DynamicTest> detectionAsQemuImg() {
        List<String[]> images = List.of(
            new String[] {"raw.img", "raw"}, new String[] {"a.qcow2", "qcow2"}, new String[] {"a.qcow", "qcow"},
            new String[] {"a.vmdk", "vmdk"}, new String[] {"stream.vmdk", "vmdk", "subformat=streamOptimized"},
            new String[] {"flat.vmdk", "vmdk", "subformat=monolithicFlat"}, new String[] {"a.vhd", "vpc"},
            new String[] {"a.vhdx", "vhdx"}, new String[] {"a.vdi", "vdi"}, new String[] {"a.qed", "qed"},
            new String[] {"a.hds", "parallels"});
        List<DynamicTest> tests = new ArrayList<>();
        for (String[] img : images) {
            tests.add(DynamicTest.dynamicTest("file " + img[0], () -> {
                Path p = dir.resolve(img[0]);
                List<String> a = new ArrayList<>(List.of("create", "-q", "-f", img[1]));
                if (img.length > 2) {
                    a.addAll(List.of("-o", img[2]));
                }
                a.addAll(List.of(p.toString(), "1M"));
                qemuImg(a.toArray(String[]::new));
                checkDetection(p.toString());
            }));
            tests.add(DynamicTest.dynamicTest("block device holding " + img[0], () -> {
                assumeLoop();
                Path p = dir.resolve("dev-" + img[0]);
                qemuImg("create", "-q", "-f", img[1], p.toString(), "1M");
                if (img[1].equals("raw")) {
                    Files.write(p, new byte[1 << 20]);
                }
                Result r = exec("dd", "if=" + p, "of=" + loop, "bs=64k", "conv=notrunc,fsync", "status=none");
                assertEquals(0, r.code(), r.output());
                checkDetection(loop);
            }));
        }
        return tests.stream();
    }

    private static void checkDetection(String path) throws IOException {
        String format = JSON.readTree(qemuImg("info", "--output=json", path)).get("format").asText();
        DiskFormat expected = switch (format) {
            case "raw" -> DiskFormat.RAW;
            case "qcow2" -> DiskFormat.QCOW2;
            case "vmdk" -> DiskFormat.VMDK;
            case "vdi" -> DiskFormat.VDI;
            case "vhdx" -> DiskFormat.VHDX;
            case "vpc" -> DiskFormat.VPC;
            default -> null;
        };
        if (expected == null) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> GuestOptionParsers.disk(path + ",readonly=on", 0));
            assertTrue(e.getMessage().contains("is a " + format + " image"), e.getMessage());
            return;
        }
        DiskSpec ro = GuestOptionParsers.disk(path + ",readonly=on", 0);
        assertEquals(expected, ro.format(), path);
        assertEquals(path.startsWith("/dev/"), ro.source() instanceof DiskSource.HostDevice, "host_device for " + path);
        if (expected.readOnlyOnly()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> GuestOptionParsers.disk(path, 0));
            assertTrue(e.getMessage().contains("readonly=on"), e.getMessage());
        } else {
            assertEquals(expected, GuestOptionParsers.disk(path, 0).format());
        }
    }

    @TestFactory
    Stream<DynamicTest> vocabularyAsVirtInstall() {
        String q = dir.resolve("q.qcow2").toString();
        String c = dir.resolve("c,d.img").toString();
        List<String> cases = new ArrayList<>(List.of(
            q,
            "path=" + q,
            "path=" + q + ",io=native,cache=none",
            q + ",driver.io=io_uring,driver.cache=writeback",
            "path=" + q + ",io=threads,cache=writethrough,bus=sata",
            "path=" + q + ",driver.type=qcow2,bus=scsi,serial=abc-1",
            q + ",target.bus=scsi,serial=WD-WMAP9A966149",
            q + ",bus=virtio,readonly=yes",
            q + ",bus=ide,readonly=on,cache=directsync",
            "path=\"" + c + "\"",
            "\"" + c + "\",readonly=on",
            "path=\"" + c + "\",driver.type=raw,serial=\"x,y\""));
        List<String> block = List.of("%s", "path=%s,driver.type=raw,io=native,cache=none", "%s,bus=scsi,readonly=on",
            "path=%s,serial=NAS-1,wwn=5000c500deadbe01,discard=unmap", "%s,driver.discard=ignore,target.bus=sata");
        List<DynamicTest> tests = new ArrayList<>();
        for (String text : cases) {
            tests.add(DynamicTest.dynamicTest(text, () -> compare(text)));
        }
        for (String b : block) {
            tests.add(DynamicTest.dynamicTest("block " + b, () -> {
                assumeLoop();
                // the detection cases leave images on the device: make it a plain raw device again
                Result z = exec("dd", "if=/dev/zero", "of=" + loop, "bs=1M", "count=2", "conv=fsync", "status=none");
                assertEquals(0, z.code(), z.output());
                compare(String.format(Locale.ROOT, b, loop));
            }));
        }
        return tests.stream();
    }

    private static void compare(String text) throws Exception {
        require("virt-install");
        Result r = exec("virt-install", "--connect", "test:///default", "--print-xml", "--name", "corpus",
            "--memory", "256", "--import", "--osinfo", "detect=on,require=off", "--noautoconsole", "--disk", text);
        assertEquals(0, r.code(), r.output());
        String xml = r.output().substring(r.output().indexOf('<'));
        Element disk = (Element) DocumentBuilderFactory.newInstance().newDocumentBuilder()
            .parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8))).getElementsByTagName("disk").item(0);
        Element source = child(disk, "source");
        Element driver = child(disk, "driver");
        Element target = child(disk, "target");

        DiskSpec d = GuestOptionParsers.disk(text, 0);
        if (disk.getAttribute("type").equals("block")) {
            assertEquals(new DiskSource.HostDevice(Path.of(source.getAttribute("dev"))), d.source());
        } else {
            assertEquals("file", disk.getAttribute("type"));
            assertEquals(new DiskSource.File(Path.of(source.getAttribute("file"))), d.source());
        }
        assertEquals(child(disk, "readonly") != null, d.readOnly(), "readonly");
        if (driver != null && !driver.getAttribute("cache").isEmpty()) {
            assertEquals(driver.getAttribute("cache"), d.cache().qemuName(), "cache");
        }
        if (driver != null && !driver.getAttribute("io").isEmpty()) {
            assertEquals(driver.getAttribute("io"), d.aio().qemuName(), "io");
        }
        if (driver != null && !driver.getAttribute("type").isEmpty()) {
            assertEquals(driver.getAttribute("type"), d.format().driver(), "format");
        }
        if (text.contains("bus=")) { // bus= or target.bus=
            String bus = switch (d.bus()) {
                case VIRTIO_BLK -> "virtio";
                case VIRTIO_SCSI -> "scsi";
                case IDE -> "ide";
                case SATA -> "sata";
            };
            assertEquals(target.getAttribute("bus"), bus, "bus");
        } else {
            // kvmj's own default: virtio-blk for an image, the NAS recipe's virtio-scsi for a whole host disk
            assertEquals(disk.getAttribute("type").equals("block") ? DiskBus.VIRTIO_SCSI : DiskBus.VIRTIO_BLK, d.bus(),
                "kvmj's own default bus");
        }
        Element wwn = child(disk, "wwn");
        if (wwn != null) {
            assertEquals("0x" + wwn.getTextContent(), d.wwn(), "wwn");
        }
        if (driver != null && !driver.getAttribute("discard").isEmpty()) {
            assertEquals(driver.getAttribute("discard").equals("unmap"), d.discard(), "discard");
        }
        Element serial = child(disk, "serial");
        assertEquals(serial == null ? null : serial.getTextContent(), d.serial(), "serial");
    }

    /** Refusals are one line naming the problem: a directory, two spellings of one key, an unknown format. */
    @org.junit.jupiter.api.Test
    void refusals() {
        String q = dir.resolve("q.qcow2").toString();
        for (String[] c : new String[][] {
            {dir.toString(), "is a directory"},
            {q + ",aio=native,io=threads", "'aio' and 'io' are the same setting"},
            {q + ",bus=ide,target.bus=sata", "'bus' and 'target.bus'"},
            {q + ",format=qcow", "format=qcow is not attached by kvmj"},
            {q + ",driver.type=floppy", "is not one of raw|qcow2|vmdk|vdi|vhdx|vpc"},
            {q + ",io=fast", "io=fast is not one of"},
            {"path=\"" + q, "unterminated"}}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GuestOptionParsers.disk(c[0], 0));
            assertTrue(e.getMessage().contains(c[1]), e.getMessage());
            assertTrue(e.getMessage().startsWith("--disk"), e.getMessage());
            assertEquals(1, e.getMessage().lines().count(), e.getMessage());
        }
    }

    private static Element child(Element e, String name) {
        for (org.w3c.dom.Node n = e.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element el && el.getTagName().equals(name)) {
                return el;
            }
        }
        return null;
    }

    private static void assumeLoop() {
        if (loop == null) {
            if ("true".equals(System.getenv("CI"))) {
                fail("losetup could not attach a loop device under CI=true (the tests run as root)");
            }
            Assumptions.abort("no loop device (losetup needs root)");
        }
    }

    private static void require(String tool) {
        boolean found = Arrays.stream(System.getenv().getOrDefault("PATH", "/usr/bin").split(":"))
            .anyMatch(d -> Files.isExecutable(Path.of(d, tool)));
        if (!found) {
            if ("true".equals(System.getenv("CI"))) {
                fail(tool + " is not installed but CI=true: run scripts/bootstrap --tests");
            }
            Assumptions.abort(tool + " not installed");
        }
    }

    private static String qemuImg(String... args) {
        List<String> a = new ArrayList<>(List.of("qemu-img"));
        a.addAll(Arrays.asList(args));
        Result r = exec(a.toArray(String[]::new));
        if (r.code() != 0) {
            fail(String.join(" ", a) + ": " + r.output());
        }
        return r.output();
    }

    private record Result(int code, String output) {
    }

    private static Result exec(String... argv) {
        try {
            Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return new Result(p.waitFor(), out);
        } catch (IOException e) {
            return new Result(127, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
