package io.kvmj.core.image.xen;

import io.kvmj.core.image.ImageFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses Xen ({@code xm}/{@code xl}) disk configuration into {@link XenDisk} records.
 *
 * <p>Accepted entry forms:
 * <ul>
 *   <li>legacy {@code PREFIX:PATH,VDEV[:cdrom],MODE} with prefixes {@code phy:}, {@code file:},
 *       {@code tap:aio:}, {@code tap:qcow:}, {@code tap:qcow2:}, {@code tap:vhd:}, {@code tap2:tapdisk:aio:},
 *       {@code aio:}, {@code raw:}, {@code qcow:}, {@code qcow2:}, {@code vhd:}, or no prefix;</li>
 *   <li>xl positional {@code TARGET,FORMAT,VDEV,ACCESS};</li>
 *   <li>xl keywords {@code format=, vdev=, access=, devtype=, backendtype=, target=} ({@code target=} last,
 *       so it may contain commas).</li>
 * </ul>
 * Modes: {@code w}, {@code rw} (read-write), {@code r}, {@code ro} (read-only), {@code w!} (read-write, shared).
 * Anything else — an unknown prefix such as {@code cow:} or {@code iscsi:}, an unknown mode, a missing
 * device name — raises {@link XenDiskException} naming it.
 */
public final class XenDiskParser {
    private static final Pattern VDEV = Pattern.compile("(xvd|hd|sd)[a-z]+[0-9]*|d[0-9]+(p[0-9]+)?");
    private static final Pattern PREFIX = Pattern.compile("^([A-Za-z0-9_]+):");
    private static final String KNOWN = "phy:, file:, tap:aio:, tap:qcow:, tap:qcow2:, tap:vhd:, aio:, raw:, qcow:, qcow2:, vhd:";

    private XenDiskParser() {}

    /**
     * Parses a {@code disk = [ '...', "..." ]} assignment (it may span lines and contain {@code #} comments),
     * or just the bracketed list.
     */
    public static List<XenDisk> parseDiskLine(String text) {
        int open = text.indexOf('[');
        int close = text.lastIndexOf(']');
        if (open < 0 || close < open) {
            throw new IllegalArgumentException("not a Xen disk list (expected disk = [ '...', ... ]): " + text.strip());
        }
        String head = text.substring(0, open).strip();
        if (!head.isEmpty() && !head.matches("disk\\s*=")) {
            throw new IllegalArgumentException("expected 'disk = [...]' but found '" + head + "'");
        }
        List<XenDisk> disks = new ArrayList<>();
        String body = text.substring(open + 1, close);
        int i = 0;
        boolean needComma = false;
        while (i < body.length()) {
            char c = body.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '#') {
                while (i < body.length() && body.charAt(i) != '\n') {
                    i++;
                }
            } else if (c == ',') {
                if (!needComma) {
                    throw new IllegalArgumentException("empty entry in Xen disk list at offset " + (open + 1 + i));
                }
                needComma = false;
                i++;
            } else if (c == '\'' || c == '"') {
                if (needComma) {
                    throw new IllegalArgumentException("missing comma between Xen disk entries at offset " + (open + 1 + i));
                }
                int end = body.indexOf(c, i + 1);
                if (end < 0) {
                    throw new IllegalArgumentException("unterminated quote in Xen disk list at offset " + (open + 1 + i));
                }
                disks.add(parseSpec(body.substring(i + 1, end)));
                needComma = true;
                i = end + 1;
            } else {
                throw new IllegalArgumentException("unexpected '" + c + "' in Xen disk list at offset " + (open + 1 + i)
                    + " (entries must be quoted)");
            }
        }
        return List.copyOf(disks);
    }

    /** Parses one entry such as {@code phy:/dev/vg/guest,xvda,w}. */
    public static XenDisk parseSpec(String spec) {
        String s = spec.strip();
        if (s.isEmpty()) {
            throw new XenDiskException(spec, "empty entry");
        }
        String first = s.split(",", 2)[0];
        if (first.contains("=") && !first.startsWith("/")) {
            return keywords(spec, s);
        }
        String[] f = s.split(",", -1);
        if (f.length == 3) {
            return build(spec, f[0].strip(), null, f[1].strip(), f[2].strip(), null);
        }
        if (f.length == 4) {
            return build(spec, f[0].strip(), f[1].strip(), f[2].strip(), f[3].strip(), null);
        }
        throw new XenDiskException(spec, "expected 3 fields (source,device,mode) or 4 (target,format,vdev,access), found "
            + f.length + (s.indexOf(',') < 0 ? "" : " (a comma in a path needs the target= keyword form)"));
    }

    private static XenDisk keywords(String spec, String s) {
        String target = null;
        String format = null;
        String vdev = null;
        String access = null;
        String devtype = null;
        int t = s.indexOf("target=");
        String rest = s;
        if (t >= 0 && (t == 0 || s.charAt(t - 1) == ',' || Character.isWhitespace(s.charAt(t - 1)))) {
            target = s.substring(t + "target=".length());
            rest = s.substring(0, t);
        }
        for (String kv : rest.split(",")) {
            String p = kv.strip();
            if (p.isEmpty()) {
                continue;
            }
            int eq = p.indexOf('=');
            if (eq < 0) {
                throw new XenDiskException(spec, "positional value '" + p + "' mixed with keywords");
            }
            String k = p.substring(0, eq).strip().toLowerCase(Locale.ROOT);
            String v = p.substring(eq + 1).strip();
            switch (k) {
                case "format" -> format = v;
                case "vdev" -> vdev = v;
                case "access" -> access = v;
                case "devtype" -> devtype = v;
                case "backendtype" -> {
                    if (!v.equals("phy") && !v.equals("qdisk") && !v.equals("tap")) {
                        throw new XenDiskException(spec, "unknown backendtype '" + v + "'");
                    }
                }
                case "script" -> throw new XenDiskException(spec, "block scripts (script=" + v + ") have no QEMU equivalent");
                default -> throw new XenDiskException(spec, "unknown keyword '" + k + "'");
            }
        }
        if (devtype != null && !devtype.equals("cdrom") && !devtype.equals("disk")) {
            throw new XenDiskException(spec, "unknown devtype '" + devtype + "'");
        }
        return build(spec, target == null ? "" : target, format, vdev == null ? "" : vdev, access == null ? "" : access,
            "cdrom".equals(devtype));
    }

    private static XenDisk build(String spec, String source, String formatName, String vdevField, String mode,
                                 Boolean cdromKeyword) {
        // device name, optionally with :cdrom / :disk
        String vdev = vdevField;
        boolean cdrom = Boolean.TRUE.equals(cdromKeyword);
        int colon = vdev.indexOf(':');
        if (colon >= 0) {
            String type = vdev.substring(colon + 1);
            vdev = vdev.substring(0, colon);
            if (type.equals("cdrom")) {
                cdrom = true;
            } else if (!type.equals("disk")) {
                throw new XenDiskException(spec, "unknown device type ':" + type + "'");
            }
        }
        if (vdev.isEmpty()) {
            throw new XenDiskException(spec, "missing guest device name (e.g. xvda)");
        }
        if (!VDEV.matcher(vdev).matches()) {
            throw new XenDiskException(spec, "invalid guest device name '" + vdev + "' (expected xvdX, hdX, sdX or dN)");
        }
        // mode
        boolean readOnly;
        boolean shared = false;
        switch (mode) {
            case "", "w", "rw" -> readOnly = false;
            case "r", "ro" -> readOnly = true;
            case "w!" -> {
                readOnly = false;
                shared = true;
            }
            default -> throw new XenDiskException(spec, "unknown mode '" + mode + "' (expected w, r, rw, ro or w!)");
        }
        if (cdrom && mode.isEmpty()) {
            readOnly = true;
        }
        // prefixes
        String path = source;
        String backend = "";
        ImageFormat format = null;
        XenDiskKind kind = null;
        boolean transport = true;
        while (transport) {
            transport = false;
            for (String t : List.of("tap2:", "tap:", "tapdisk:")) {
                if (path.startsWith(t)) {
                    backend = backend.isEmpty() ? t.substring(0, t.length() - 1) : backend + ":" + t.substring(0, t.length() - 1);
                    path = path.substring(t.length());
                    kind = XenDiskKind.FILE;
                    transport = true;
                }
            }
        }
        Matcher m = PREFIX.matcher(path);
        if (m.find()) {
            String p = m.group(1);
            String full = backend.isEmpty() ? p : backend + ":" + p;
            switch (p) {
                case "phy" -> { format = ImageFormat.RAW; kind = XenDiskKind.BLOCK_DEVICE; }
                case "file", "aio", "raw" -> { format = ImageFormat.RAW; kind = XenDiskKind.FILE; }
                case "qcow" -> { format = ImageFormat.QCOW; kind = XenDiskKind.FILE; }
                case "qcow2" -> { format = ImageFormat.QCOW2; kind = XenDiskKind.FILE; }
                case "vhd" -> { format = ImageFormat.VPC; kind = XenDiskKind.FILE; }
                default -> throw new XenDiskException(spec, "unknown Xen disk prefix '" + full + ":' (known: " + KNOWN + ")");
            }
            if (p.equals("phy") && !backend.isEmpty()) {
                throw new XenDiskException(spec, "prefix '" + full + ":' mixes tap and phy");
            }
            backend = full;
            path = path.substring(m.end());
        } else if (!backend.isEmpty()) {
            throw new XenDiskException(spec, "prefix '" + backend + ":' needs a driver such as aio:, qcow: or qcow2:");
        }
        if (formatName != null && !formatName.isEmpty()) {
            ImageFormat explicit = xlFormat(spec, formatName);
            if (format != null && format != explicit) {
                throw new XenDiskException(spec, "format=" + formatName + " contradicts prefix '" + backend + ":'");
            }
            format = explicit;
        }
        if (path.isEmpty() && !cdrom) {
            throw new XenDiskException(spec, "missing source path");
        }
        if (format == null) {
            format = ImageFormat.RAW;
        }
        if (kind == null) {
            kind = path.startsWith("/dev/") ? XenDiskKind.BLOCK_DEVICE : XenDiskKind.FILE;
        }
        return new XenDisk(spec, path, format, kind, backend, vdev, readOnly, shared, cdrom);
    }

    private static ImageFormat xlFormat(String spec, String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "raw" -> ImageFormat.RAW;
            case "qcow" -> ImageFormat.QCOW;
            case "qcow2" -> ImageFormat.QCOW2;
            case "vhd" -> ImageFormat.VPC;
            case "qed" -> ImageFormat.QED;
            default -> throw new XenDiskException(spec, "unknown format '" + name + "'");
        };
    }
}
