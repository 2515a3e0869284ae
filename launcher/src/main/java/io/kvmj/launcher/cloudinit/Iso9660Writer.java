package io.kvmj.launcher.cloudinit;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Writes a small ISO 9660 image (ECMA-119) with Rock Ridge (RRIP 1.10 / SUSP 1.10) and Joliet names: one root
 * directory of regular files, as a NoCloud seed needs, laid out like {@code genisoimage -J -r} (what virt-install
 * runs). Linux ({@code isofs}), {@code isoinfo -R}, {@code xorriso} and {@code bsdtar} read the long lowercase names
 * (e.g. {@code network-config}) from the Rock Ridge {@code NM} entries; Windows and {@code isoinfo -J} from the
 * Joliet tree; plain ISO 9660 readers see 8.3 names ({@code NETWORK_.;1}).
 *
 * <pre>{@code
 * byte[] iso = new Iso9660Writer("cidata")
 *         .file("user-data", userData.getBytes(UTF_8))
 *         .file("meta-data", metaData.getBytes(UTF_8))
 *         .toBytes();
 * }</pre>
 *
 * <p>Why not a library: the only Java ISO 9660 writer on Maven Central, {@code com.github.stephenc.java-iso-tools:
 * iso9660-writer}, has had two releases (the last in January 2021, a rebuild), depends on its own {@code sabre}
 * framework and plexus-utils 2.0.5 (2010) and is LGPL; it is not maintained in any useful sense. Shelling out to
 * {@code genisoimage}/{@code xorrisofs} (what virt-install does) would add a host tool to every launch. A seed is a
 * handful of small files in one directory, so this writer covers exactly that: no subdirectories, at most
 * {@value #MAX_FILES} files (each root directory is one 2048-byte sector). The tests read images back with isoinfo,
 * xorriso, bsdtar and blkid.
 *
 * <p>Layout: sectors 0-15 system area, 16 primary volume descriptor, 17 Joliet supplementary volume descriptor,
 * 18 terminator, 19/20 L/M path tables, 21/22 Joliet L/M path tables, 23 root directory (Rock Ridge), 24 Joliet root
 * directory, 25 SUSP continuation area (the {@code ER} entry, too long for the root's {@code .} record), then the
 * files, each starting on a sector (both trees point at the same data).
 */
public final class Iso9660Writer {
    /** Logical sector and block size. */
    public static final int SECTOR = 2048;
    /** Upper bound on files (they all fit in the one-sector root directory). */
    public static final int MAX_FILES = 12;
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final Pattern VOLUME_ID = Pattern.compile("[A-Za-z0-9_-]{1,32}");
    private static final int PVD = 16;
    private static final int SVD = 17;
    private static final int TERMINATOR = 18;
    private static final int L_PATH = 19;
    private static final int M_PATH = 20;
    private static final int JOLIET_L_PATH = 21;
    private static final int JOLIET_M_PATH = 22;
    private static final int ROOT = 23;
    private static final int JOLIET_ROOT = 24;
    private static final int CONTINUATION = 25;
    private static final int FIRST_FILE = 26;
    private static final String RR_ID = "RRIP_1991A";
    private static final String RR_DESCRIPTOR = "THE ROCK RIDGE INTERCHANGE PROTOCOL PROVIDES SUPPORT FOR POSIX FILE SYSTEM SEMANTICS";
    private static final String RR_SOURCE = "PLEASE CONTACT DISC PUBLISHER FOR SPECIFICATION SOURCE.  SEE PUBLISHER IDENTIFIER IN "
            + "PRIMARY VOLUME DESCRIPTOR FOR CONTACT INFORMATION.";

    private final String volumeId;
    private final Map<String, byte[]> files = new LinkedHashMap<>();
    private ZonedDateTime time = ZonedDateTime.now(ZoneOffset.UTC);

    /** An image with volume identifier {@code volumeId} (the file system label, e.g. {@code cidata}, kept as is). */
    public Iso9660Writer(String volumeId) {
        if (!VOLUME_ID.matcher(volumeId).matches()) {
            throw new IllegalArgumentException("volume id must be 1-32 letters, digits, '_' or '-': " + volumeId);
        }
        this.volumeId = volumeId;
    }

    /** Adds a file to the root directory; {@code name} is the Rock Ridge name (letters, digits, {@code . _ -}). */
    public Iso9660Writer file(String name, byte[] content) {
        if (!NAME.matcher(name).matches() || name.equals(".") || name.equals("..")) {
            throw new IllegalArgumentException("file name must be 1-64 letters, digits, '.', '_' or '-': " + name);
        }
        if (files.size() >= MAX_FILES && !files.containsKey(name)) {
            throw new IllegalArgumentException("at most " + MAX_FILES + " files");
        }
        files.put(name, content.clone());
        return this;
    }

    /** The recording time stamped on the volume and every record (default: now, UTC). */
    public Iso9660Writer time(ZonedDateTime t) {
        time = Objects.requireNonNull(t, "time");
        return this;
    }

    /** Writes the image to {@code out}. */
    public void write(OutputStream out) throws IOException {
        out.write(toBytes());
    }

    /** The image. */
    public byte[] toBytes() {
        List<Entry> entries = layout();
        int sectors = FIRST_FILE;
        for (Entry e : entries) {
            sectors += sectorsFor(e.content.length);
        }
        ByteBuffer img = ByteBuffer.allocate(sectors * SECTOR).order(ByteOrder.LITTLE_ENDIAN);
        volumeDescriptor(img, PVD, sectors, false);
        volumeDescriptor(img, SVD, sectors, true);
        terminator(img);
        pathTable(img, L_PATH, ROOT, ByteOrder.LITTLE_ENDIAN);
        pathTable(img, M_PATH, ROOT, ByteOrder.BIG_ENDIAN);
        pathTable(img, JOLIET_L_PATH, JOLIET_ROOT, ByteOrder.LITTLE_ENDIAN);
        pathTable(img, JOLIET_M_PATH, JOLIET_ROOT, ByteOrder.BIG_ENDIAN);
        rootDirectory(img, entries);
        jolietRootDirectory(img, entries);
        continuationArea(img);
        for (Entry e : entries) {
            img.position(e.sector * SECTOR);
            img.put(e.content);
        }
        return img.array();
    }

    private record Entry(String name, String isoName, byte[] content, int sector) {}

    /** ISO 9660 level 1 names (8.3 d-characters, {@code ;1}), unique, in the required sort order. */
    private List<Entry> layout() {
        List<String[]> named = new ArrayList<>();
        Set<String> used = new HashSet<>();
        for (String name : files.keySet()) {
            String upper = name.toUpperCase(Locale.ROOT);
            int dot = upper.lastIndexOf('.');
            String base = (dot > 0 ? upper.substring(0, dot) : upper).replaceAll("[^A-Z0-9]", "_");
            String ext = (dot > 0 ? upper.substring(dot + 1) : "").replaceAll("[^A-Z0-9]", "_");
            base = base.isEmpty() ? "_" : base.substring(0, Math.min(8, base.length()));
            ext = ext.substring(0, Math.min(3, ext.length()));
            String iso = base + "." + ext + ";1";
            for (int n = 1; !used.add(iso); n++) {
                String suffix = Integer.toString(n);
                iso = base.substring(0, Math.min(base.length(), 8 - suffix.length())) + suffix + "." + ext + ";1";
            }
            named.add(new String[] {name, iso});
        }
        named.sort(Comparator.comparing((String[] a) -> a[1]));
        List<Entry> out = new ArrayList<>();
        int sector = FIRST_FILE;
        for (String[] n : named) {
            byte[] content = files.get(n[0]);
            out.add(new Entry(n[0], n[1], content, sector));
            sector += sectorsFor(content.length);
        }
        return out;
    }

    private static int sectorsFor(int bytes) {
        return (bytes + SECTOR - 1) / SECTOR;
    }

    /** The primary (ECMA-119 8.4) or the Joliet supplementary (UCS-2 level 3) volume descriptor. */
    private void volumeDescriptor(ByteBuffer img, int sector, int sectors, boolean joliet) {
        int base = sector * SECTOR;
        img.position(base);
        img.put((byte) (joliet ? 2 : 1)).put(ascii("CD001")).put((byte) 1).put((byte) 0);
        img.put(text("LINUX", 32, joliet));
        img.put(text(volumeId, 32, joliet));
        img.position(base + 80);
        both32(img, sectors);
        if (joliet) {
            img.put(ascii("%/E")); // escape sequence: UCS-2 level 3
        }
        img.position(base + 120);
        both16(img, 1); // volume set size
        both16(img, 1); // volume sequence number
        both16(img, SECTOR);
        both32(img, 10); // path table size: the root's entry
        img.order(ByteOrder.LITTLE_ENDIAN).putInt(joliet ? JOLIET_L_PATH : L_PATH).putInt(0);
        img.order(ByteOrder.BIG_ENDIAN).putInt(joliet ? JOLIET_M_PATH : M_PATH).putInt(0);
        img.order(ByteOrder.LITTLE_ENDIAN);
        img.put(record(joliet ? JOLIET_ROOT : ROOT, SECTOR, true, new byte[] {0}, new byte[0]));
        img.put(text("", 128, joliet)); // volume set
        img.put(text("", 128, joliet)); // publisher
        img.put(text("", 128, joliet)); // data preparer
        img.put(text("KVMJ", 128, joliet)); // application
        img.put(text("", 37, joliet)).put(text("", 37, joliet)).put(text("", 37, joliet)); // copyright, abstract, biblio
        byte[] date = volumeDate(time);
        img.put(date).put(date); // creation, modification
        img.put(ascii("0000000000000000")).put((byte) 0); // expiration: none
        img.put(date); // effective
        img.put((byte) 1); // file structure version
    }

    private static void terminator(ByteBuffer img) {
        img.position(TERMINATOR * SECTOR);
        img.put((byte) 255).put(ascii("CD001")).put((byte) 1);
    }

    private static void pathTable(ByteBuffer img, int sector, int root, ByteOrder order) {
        img.position(sector * SECTOR);
        img.order(order);
        img.put((byte) 1).put((byte) 0).putInt(root).putShort((short) 1).put((byte) 0).put((byte) 0);
        img.order(ByteOrder.LITTLE_ENDIAN);
    }

    private void rootDirectory(ByteBuffer img, List<Entry> entries) {
        ByteBuffer dir = ByteBuffer.allocate(SECTOR).order(ByteOrder.LITTLE_ENDIAN);
        // ".": SP (SUSP in use), PX, CE -> ER in the continuation sector
        dir.put(record(ROOT, SECTOR, true, new byte[] {0}, concat(sp(), px(040555, 2), ce())));
        dir.put(record(ROOT, SECTOR, true, new byte[] {1}, px(040555, 2)));
        for (Entry e : entries) {
            byte[] su = concat(px(0100444, 1), nm(e.name));
            byte[] rec = record(e.content.length == 0 ? 0 : e.sector, e.content.length, false, ascii(e.isoName), su);
            if (dir.remaining() < rec.length) {
                throw new IllegalArgumentException("too many files for one directory sector");
            }
            dir.put(rec);
        }
        img.position(ROOT * SECTOR);
        img.put(dir.array());
    }

    /** The Joliet tree's root: the same files under their names in UCS-2 (big-endian), no version suffix. */
    private void jolietRootDirectory(ByteBuffer img, List<Entry> entries) {
        ByteBuffer dir = ByteBuffer.allocate(SECTOR).order(ByteOrder.LITTLE_ENDIAN);
        dir.put(record(JOLIET_ROOT, SECTOR, true, new byte[] {0}, new byte[0]));
        dir.put(record(JOLIET_ROOT, SECTOR, true, new byte[] {1}, new byte[0]));
        List<Entry> sorted = new ArrayList<>(entries);
        sorted.sort(Comparator.comparing(Entry::name)); // ASCII order = UCS-2 code unit order
        for (Entry e : sorted) {
            dir.put(record(e.content.length == 0 ? 0 : e.sector, e.content.length, false,
                    e.name.getBytes(StandardCharsets.UTF_16BE), new byte[0]));
        }
        img.position(JOLIET_ROOT * SECTOR);
        img.put(dir.array());
    }

    private static void continuationArea(ByteBuffer img) {
        img.position(CONTINUATION * SECTOR);
        img.put(er());
    }

    /** A directory record (ECMA-119 9.1); {@code id} is the file identifier, {@code su} the system use area. */
    private byte[] record(int extent, int size, boolean dir, byte[] id, byte[] su) {
        int len = 33 + id.length + (id.length % 2 == 0 ? 1 : 0) + su.length;
        if (len > 255) {
            throw new IllegalArgumentException("directory record too long: " + len);
        }
        ByteBuffer b = ByteBuffer.allocate(len).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) len).put((byte) 0);
        both32(b, extent);
        both32(b, size);
        b.put(recordDate(time));
        b.put((byte) (dir ? 2 : 0)).put((byte) 0).put((byte) 0);
        both16(b, 1);
        b.put((byte) id.length).put(id);
        if (id.length % 2 == 0) {
            b.put((byte) 0);
        }
        b.put(su);
        return b.array();
    }

    private static byte[] sp() {
        return new byte[] {'S', 'P', 7, 1, (byte) 0xBE, (byte) 0xEF, 0};
    }

    private static byte[] px(int mode, int links) {
        ByteBuffer b = ByteBuffer.allocate(36).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 'P').put((byte) 'X').put((byte) 36).put((byte) 1);
        both32(b, mode);
        both32(b, links);
        both32(b, 0); // uid
        both32(b, 0); // gid
        return b.array();
    }

    private static byte[] nm(String name) {
        byte[] n = name.getBytes(StandardCharsets.US_ASCII);
        ByteBuffer b = ByteBuffer.allocate(5 + n.length);
        b.put((byte) 'N').put((byte) 'M').put((byte) (5 + n.length)).put((byte) 1).put((byte) 0).put(n);
        return b.array();
    }

    private static byte[] ce() {
        ByteBuffer b = ByteBuffer.allocate(28).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 'C').put((byte) 'E').put((byte) 28).put((byte) 1);
        both32(b, CONTINUATION);
        both32(b, 0);
        both32(b, er().length);
        return b.array();
    }

    private static byte[] er() {
        byte[] id = ascii(RR_ID);
        byte[] des = ascii(RR_DESCRIPTOR);
        byte[] src = ascii(RR_SOURCE);
        ByteBuffer b = ByteBuffer.allocate(8 + id.length + des.length + src.length);
        b.put((byte) 'E').put((byte) 'R').put((byte) b.capacity()).put((byte) 1);
        b.put((byte) id.length).put((byte) des.length).put((byte) src.length).put((byte) 1);
        b.put(id).put(des).put(src);
        return b.array();
    }

    private static void both16(ByteBuffer b, int v) {
        ByteOrder o = b.order();
        b.order(ByteOrder.LITTLE_ENDIAN).putShort((short) v).order(ByteOrder.BIG_ENDIAN).putShort((short) v).order(o);
    }

    private static void both32(ByteBuffer b, int v) {
        ByteOrder o = b.order();
        b.order(ByteOrder.LITTLE_ENDIAN).putInt(v).order(ByteOrder.BIG_ENDIAN).putInt(v).order(o);
    }

    private static byte[] recordDate(ZonedDateTime t) {
        ZonedDateTime u = t.withZoneSameInstant(ZoneOffset.UTC);
        return new byte[] {(byte) (u.getYear() - 1900), (byte) u.getMonthValue(), (byte) u.getDayOfMonth(),
            (byte) u.getHour(), (byte) u.getMinute(), (byte) u.getSecond(), 0};
    }

    private static byte[] volumeDate(ZonedDateTime t) {
        ZonedDateTime u = t.withZoneSameInstant(ZoneOffset.UTC);
        String digits = String.format(Locale.ROOT, "%04d%02d%02d%02d%02d%02d%02d", u.getYear(), u.getMonthValue(),
                u.getDayOfMonth(), u.getHour(), u.getMinute(), u.getSecond(), u.getNano() / 10_000_000);
        return concat(ascii(digits), new byte[] {0});
    }

    /** {@code s} in {@code len} bytes, padded with spaces: ASCII, or UCS-2 big-endian for Joliet. */
    private static byte[] text(String s, int len, boolean joliet) {
        byte[] out = new byte[len];
        byte[] b = joliet ? s.getBytes(StandardCharsets.UTF_16BE) : ascii(s);
        System.arraycopy(b, 0, out, 0, Math.min(len, b.length));
        for (int i = b.length; i < len; i++) {
            out[i] = joliet && i % 2 == 0 ? 0 : (byte) ' ';
        }
        return out;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        ByteBuffer b = ByteBuffer.allocate(n);
        for (byte[] p : parts) {
            b.put(p);
        }
        return b.array();
    }
}
