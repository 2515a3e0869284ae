package io.kvmj.launcher.cloudinit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link Iso9660Writer} images read back by the real tools: isoinfo, xorriso, bsdtar, blkid. */
class CloudInitIsoTest {
    @TempDir
    static Path tmp;
    static Path iso;
    static final Map<String, byte[]> FILES = new LinkedHashMap<>();

    @BeforeAll
    static void writeImage() throws Exception {
        IsoTools.require("isoinfo", "genisoimage");
        IsoTools.require("xorriso", "xorriso");
        IsoTools.require("bsdtar", "libarchive-tools");
        IsoTools.require("blkid", "util-linux");
        FILES.put("user-data", "#cloud-config\nusers:\n  - default\n".getBytes(StandardCharsets.UTF_8));
        FILES.put("meta-data", "instance-id: \"kvmj-1\"\nlocal-hostname: \"vm1\"\n".getBytes(StandardCharsets.UTF_8));
        byte[] big = new byte[2048 * 3 + 17]; // spans sectors, ends mid-sector
        new Random(42).nextBytes(big);
        FILES.put("network-config", big);
        FILES.put("empty", new byte[0]);
        FILES.put("exactly-one.sector", new byte[2048]);
        FILES.put("vendor-data", "#cloud-config\n# ünïcode\n".getBytes(StandardCharsets.UTF_8));
        Iso9660Writer w = new Iso9660Writer("cidata").time(ZonedDateTime.of(2026, 11, 30, 12, 34, 56, 0, ZoneOffset.UTC));
        FILES.forEach(w::file);
        iso = tmp.resolve("seed.iso");
        Files.write(iso, w.toBytes());
    }

    @Test
    void isoinfoSeesLabelRockRidgeAndSize() throws Exception {
        String d = IsoTools.run("isoinfo", "-d", "-i", iso.toString());
        assertTrue(d.contains("CD-ROM is in ISO 9660 format"), d);
        assertTrue(d.contains("Volume id: cidata\n"), d);
        assertTrue(d.contains("Rock Ridge signatures version 1 found"), d);
        assertTrue(d.contains("Joliet with UCS level 3 found"), d);
        assertTrue(d.contains("Logical block size is: 2048"), d);
        Matcher m = Pattern.compile("Volume size is: (\\d+)").matcher(d);
        assertTrue(m.find(), d);
        assertEquals(Files.size(iso) / 2048, Long.parseLong(m.group(1)));
        assertEquals(0, Files.size(iso) % 2048);
    }

    @Test
    void isovfyFindsNoErrors() {
        String v = IsoTools.run("isovfy", iso.toString());
        assertTrue(v.contains("No errors found"), v);
    }

    @Test
    void isoinfoJolietListingHasTheLongNames() {
        String l = IsoTools.run("isoinfo", "-J", "-l", "-i", iso.toString());
        Set<String> names = new TreeSet<>();
        for (String line : l.split("\n")) {
            Matcher m = Pattern.compile("^-[-r]{9}\\s+\\d+\\s+\\d+\\s+\\d+\\s+(\\d+) .*\\]\\s+(\\S+)\\s*$").matcher(line);
            if (m.find()) {
                names.add(m.group(2));
                assertEquals(FILES.get(m.group(2)).length, Integer.parseInt(m.group(1)), line);
            }
        }
        assertEquals(new TreeSet<>(FILES.keySet()), names, l);
        byte[] viaJoliet = IsoTools.runBytes("isoinfo", "-J", "-i", iso.toString(), "-x", "/network-config");
        assertArrayEquals(FILES.get("network-config"), viaJoliet);
    }

    @Test
    void blkidReadsTheCidataLabel() {
        String out = IsoTools.run("blkid", "-p", "-o", "export", iso.toString());
        assertTrue(out.contains("LABEL=cidata\n"), out);
        assertTrue(out.contains("TYPE=iso9660\n"), out);
    }

    @Test
    void isoinfoRockRidgeListingHasTheLongNamesAndSizes() {
        String l = IsoTools.run("isoinfo", "-R", "-l", "-i", iso.toString());
        Set<String> names = new TreeSet<>();
        for (String line : l.split("\n")) {
            Matcher m = Pattern.compile("^(-r--r--r--)\\s+1\\s+0\\s+0\\s+(\\d+) .*\\]\\s+(\\S+)\\s*$").matcher(line);
            if (m.find()) {
                names.add(m.group(3));
                assertEquals(FILES.get(m.group(3)).length, Integer.parseInt(m.group(2)), line);
            }
        }
        assertEquals(new TreeSet<>(FILES.keySet()), names, l);
        // plain ISO 9660 (no Rock Ridge) sees unique 8.3 names
        String plain = IsoTools.run("isoinfo", "-l", "-i", iso.toString());
        assertTrue(plain.contains("USER_DAT.;1") && plain.contains("META_DAT.;1") && plain.contains("NETWORK_.;1"), plain);
    }

    @Test
    void xorrisoListsAndExtractsByteExactly() throws Exception {
        String ls = IsoTools.run("xorriso", "-indev", iso.toString(), "-find", "/", "-type", "f");
        for (String name : FILES.keySet()) {
            assertTrue(ls.contains("'/" + name + "'"), ls);
        }
        Path out = tmp.resolve("xorriso-out");
        IsoTools.run("xorriso", "-osirrox", "on", "-indev", iso.toString(), "-extract", "/", out.toString());
        for (Map.Entry<String, byte[]> e : FILES.entrySet()) {
            assertArrayEquals(e.getValue(), Files.readAllBytes(out.resolve(e.getKey())), e.getKey());
        }
        try (var s = Files.list(out)) {
            assertEquals(FILES.size(), s.count());
        }
    }

    @Test
    void bsdtarReadsEachFileByteExactly() {
        for (Map.Entry<String, byte[]> e : FILES.entrySet()) {
            assertArrayEquals(e.getValue(), IsoTools.runBytes("bsdtar", "-xOf", iso.toString(), e.getKey()), e.getKey());
        }
        String list = IsoTools.run("bsdtar", "-tf", iso.toString());
        Set<String> expected = new TreeSet<>(FILES.keySet());
        expected.add("."); // the root directory, as bsdtar lists it for genisoimage/xorriso images too
        assertEquals(expected, new TreeSet<>(Arrays.asList(list.strip().split("\n"))), list);
    }

    @Test
    void refusesNamesAndLabelsItCannotWrite() {
        assertThrows(IllegalArgumentException.class, () -> new Iso9660Writer("cid ata"));
        assertThrows(IllegalArgumentException.class, () -> new Iso9660Writer("x".repeat(33)));
        Iso9660Writer w = new Iso9660Writer("cidata");
        assertThrows(IllegalArgumentException.class, () -> w.file("dir/user-data", new byte[0]));
        assertThrows(IllegalArgumentException.class, () -> w.file("..", new byte[0]));
        for (int i = 0; i < Iso9660Writer.MAX_FILES; i++) {
            w.file("file-with-a-long-name-" + i, new byte[1]);
        }
        assertThrows(IllegalArgumentException.class, () -> w.file("one-too-many", new byte[0]));
        assertEquals(0, w.toBytes().length % 2048, "the fullest directory still fits its sector");
    }
}
