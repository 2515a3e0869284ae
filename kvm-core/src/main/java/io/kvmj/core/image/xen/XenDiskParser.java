package io.kvmj.core.image.xen;

import io.kvmj.core.image.ImageFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses Xen ({@code xl}, and the {@code xm} forms xl still reads) disk configuration into {@link XenDisk}
 * records, following docs/misc/xl-disk-configuration.txt and xl's own disk lexer:
 * <ul>
 *   <li>positional parameters {@code TARGET,FORMAT,VDEV,ACCESS}, any of them empty (an empty format is raw,
 *       an empty access rw): {@code /dev/vg/guest-volume,,hda};</li>
 *   <li>keywords {@code format=, vdev=, access=, devtype=cdrom|disk, backendtype=, specification=} and the
 *       flags {@code cdrom}, {@code discard}/{@code no-discard}, {@code direct-io-safe},
 *       {@code trusted}/{@code untrusted}, in any order between positionals; {@code target=} eats the rest;</li>
 *   <li>the deprecated syntax {@code [PREFIX:]TARGET,VDEV[:cdrom|:disk],ACCESS}: the prefixes {@code raw:},
 *       {@code qcow:}, {@code qcow2:}, {@code vhd:} set the format; {@code phy:}, {@code file:},
 *       {@code tap:}, {@code tap2:}, {@code tapdisk:}, {@code aio:}, {@code ioemu:} are stripped; after such a
 *       prefix the second positional is the vdev, otherwise it is the format (so {@code /x,xvda,w} without a
 *       prefix is refused, as xl refuses it);</li>
 *   <li>a target that does not start with {@code /} gets {@code /dev/} prepended ({@code phy:hda1} is
 *       {@code /dev/hda1}); a CD-ROM is always read-only and may have no target (an empty drive).</li>
 * </ul>
 * kvmj also reads xm's {@code w!} access (shared writable). What kvmj cannot map is refused with a
 * {@link XenDiskException} naming it: block scripts ({@code script=}, {@code iscsi:}, {@code nbd:},
 * {@code enbd:}, {@code drbd:}), driver domains ({@code backend=}), COLO replication, unknown prefixes,
 * keywords, formats and access modes.
 *
 * <pre>{@code
 * List<XenDisk> d = XenDiskParser.parseDiskLine("disk = [ '/dev/vg/guest-volume,,hda', '/root/image.iso,,hdc,cdrom' ]");
 * }</pre>
 */
public final class XenDiskParser {
    private static final Pattern VDEV = Pattern.compile("(xvd|hd|sd)[a-z]+[0-9]*|d[0-9]+(p[0-9]+)?");
    private static final Pattern PREFIX = Pattern.compile("[a-z][a-z0-9]*:");
    private static final Pattern KEYWORD = Pattern.compile("([a-z][-a-z0-9_]*)=");
    private static final List<String> IGNORED_PREFIXES = List.of("tapdisk", "tap", "tap2", "aio", "ioemu", "file", "phy");
    private static final List<String> FLAGS = List.of("cdrom", "direct-io-safe", "discard", "no-discard", "colo",
        "no-colo", "trusted", "untrusted");

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

    /** Parses one entry such as {@code /dev/vg/guest,raw,xvda,rw} or {@code phy:/dev/vg/guest,xvda,w}. */
    public static XenDisk parseSpec(String spec) {
        return new Entry(spec).parse();
    }

    /** The state of one entry being read, as xl's lexer keeps it. */
    private static final class Entry {
        private final String spec;
        private String target;
        private String format;
        private String vdev;
        private String access;
        private boolean cdrom;
        private boolean hadPrefix;
        private final List<String> prefixes = new ArrayList<>();

        Entry(String spec) {
            this.spec = spec;
        }

        XenDisk parse() {
            String s = spec;
            int i = 0;
            while (i < s.length()) {
                char c = s.charAt(i);
                if (c == ' ' || c == '\t' || c == '\n') {
                    i++;
                    continue;
                }
                String rest = s.substring(i);
                Matcher pm = PREFIX.matcher(rest);
                if (pm.lookingAt() && isPrefix(rest, pm.end())) {
                    prefix(rest.substring(0, pm.end() - 1));
                    i += pm.end();
                    continue;
                }
                if (rest.startsWith("target=")) {
                    String t = rest.substring("target=".length());
                    saveTarget(t.endsWith(",") ? t.substring(0, t.length() - 1) : t);
                    break;
                }
                int comma = rest.indexOf(',');
                String token = comma < 0 ? rest : rest.substring(0, comma);
                i += comma < 0 ? rest.length() : comma + 1;
                if (FLAGS.contains(token)) {
                    flag(token);
                    continue;
                }
                Matcher km = KEYWORD.matcher(token);
                if (km.lookingAt()) {
                    keyword(km.group(1), token.substring(km.end()));
                    continue;
                }
                if (token.indexOf('=') >= 0) {
                    throw fail("bad syntax near '" + token + "' (a target containing '=' needs target= at the end)");
                }
                positional(token);
            }
            return build();
        }

        /** xl treats NAME: as a prefix when it starts the rest, or is followed by the end or a non-alphanumeric. */
        private static boolean isPrefix(String rest, int end) {
            String name = rest.substring(0, end - 1);
            if (IGNORED_PREFIXES.contains(name) || name.matches("raw|qcow2?|vhd|iscsi|e?nbd|drbd")) {
                return true;
            }
            if (end == rest.length()) {
                return true;
            }
            char next = rest.charAt(end);
            return !(next >= 'a' && next <= 'z' || next >= '0' && next <= '9');
        }

        private void prefix(String name) {
            prefixes.add(name);
            hadPrefix = true;
            if (name.matches("raw|qcow2?|vhd")) {
                setFormat(name);
            } else if (name.matches("iscsi|e?nbd|drbd")) {
                throw fail("prefix '" + name + ":' names Xen block script block-" + name
                    + ", which has no QEMU equivalent");
            } else if (!IGNORED_PREFIXES.contains(name)) {
                throw fail("unknown Xen disk prefix '" + String.join(":", prefixes) + ":' (known: raw:, qcow:, qcow2:,"
                    + " vhd:, phy:, file:, tap:, tap2:, tapdisk:, aio:, ioemu:)");
            }
        }

        private void flag(String f) {
            switch (f) {
                case "cdrom" -> cdrom = true;
                case "colo" -> throw fail("COLO replication (colo) has no kvmj equivalent");
                default -> { } // direct-io-safe, discard, no-discard, no-colo, trusted, untrusted: Xen backend hints
            }
        }

        private void keyword(String k, String v) {
            switch (k) {
                case "format" -> setFormat(v);
                case "vdev" -> vdev = save("vdev", vdev, v);
                case "access" -> access = save("access", access, v);
                case "devtype" -> {
                    if (v.equals("cdrom")) {
                        cdrom = true;
                    } else if (v.equals("disk")) {
                        cdrom = false;
                    } else {
                        throw fail("unknown devtype '" + v + "' (cdrom or disk)");
                    }
                }
                case "backendtype" -> {
                    if (!List.of("phy", "tap", "qdisk", "standalone").contains(v)) {
                        throw fail("unknown backendtype '" + v + "' (phy, tap, qdisk, standalone)");
                    }
                }
                case "specification" -> {
                    if (!v.equals("xen") && !v.equals("virtio")) {
                        throw fail("unknown specification '" + v + "' (xen or virtio)");
                    }
                }
                case "grant_usage" -> {
                    if (!v.equals("0") && !v.equals("1")) {
                        throw fail("unknown grant_usage '" + v + "' (0 or 1)");
                    }
                }
                case "backend" -> throw fail("backend=" + v + " (a driver domain) has no kvmj equivalent");
                case "script" -> throw fail("block script (script=" + v + ") has no QEMU equivalent");
                case "colo-host", "colo-port", "colo-export", "active-disk", "hidden-disk" ->
                    throw fail("COLO replication (" + k + "=) has no kvmj equivalent");
                default -> throw fail("unknown parameter '" + k + "='");
            }
        }

        private void positional(String token) {
            if (target == null) {
                saveTarget(token);
            } else if (!hadPrefix && format == null) {
                int colon = token.lastIndexOf(':');
                if (target.isEmpty() && colon >= 0) { // xend's ",hdc:cdrom,r" for an empty drive
                    vdevAndType(token, colon);
                    format = "empty";
                } else {
                    setFormat(token);
                }
            } else if (vdev == null) {
                int colon = token.lastIndexOf(':');
                if (colon >= 0) {
                    vdevAndType(token, colon);
                } else {
                    vdev = token;
                }
            } else if (access == null) {
                access = token;
            } else {
                throw fail("too many positional parameters at '" + token + "'");
            }
        }

        private void vdevAndType(String token, int colon) {
            vdev = save("vdev", vdev, token.substring(0, colon));
            String type = token.substring(colon + 1);
            if (type.equals("cdrom")) {
                cdrom = true;
            } else if (type.equals("disk")) {
                cdrom = false;
            } else {
                throw fail("unknown device type ':" + type + "' (cdrom or disk)");
            }
        }

        private void saveTarget(String t) {
            if (target != null && !target.isEmpty()) {
                throw fail("target given twice");
            }
            target = t;
        }

        private String save(String what, String old, String v) {
            if (old != null && !old.isEmpty()) {
                throw fail(what + " given twice");
            }
            return v;
        }

        private void setFormat(String f) {
            String n = f.isEmpty() ? "raw" : f;
            if (!List.of("raw", "qcow", "qcow2", "vhd", "qed", "empty").contains(n)) {
                throw fail("unknown format '" + f + "' (raw, qcow, qcow2, vhd, qed"
                    + (hadPrefix || target == null ? ")" : "; a legacy PATH,VDEV,ACCESS entry needs a prefix such as"
                    + " phy: or file:)"));
            }
            if (format != null && !format.equals(n)) {
                throw fail("format given twice (" + format + ", " + n + ")");
            }
            format = n;
        }

        private XenDisk build() {
            if (vdev == null || vdev.isEmpty()) {
                throw fail("missing guest device name (vdev, e.g. xvda)");
            }
            if (!VDEV.matcher(vdev).matches()) {
                throw fail("invalid guest device name '" + vdev + "' (expected xvdX, hdX, sdX or dN)");
            }
            String mode = access == null ? "" : access;
            boolean readOnly;
            boolean shared = false;
            switch (mode) {
                case "", "w", "rw" -> readOnly = false;
                case "r", "ro" -> readOnly = true;
                case "w!" -> {
                    readOnly = false;
                    shared = true;
                }
                default -> throw fail("unknown access mode '" + mode + "' (ro, r, rw, w; or xm's w!)");
            }
            String path = target == null ? "" : target;
            if (cdrom) {
                readOnly = true; // xl makes every CD-ROM read-only and removable
                shared = false;
            } else if (path.isEmpty() || "empty".equals(format)) {
                throw fail("missing target (only a CD-ROM may be empty)");
            }
            if (!path.isEmpty() && !path.startsWith("/")) {
                path = "/dev/" + path;
            }
            ImageFormat f = switch (format == null || format.equals("empty") ? "raw" : format) {
                case "qcow" -> ImageFormat.QCOW;
                case "qcow2" -> ImageFormat.QCOW2;
                case "vhd" -> ImageFormat.VPC;
                case "qed" -> ImageFormat.QED;
                default -> ImageFormat.RAW;
            };
            XenDiskKind kind = path.startsWith("/dev/") ? XenDiskKind.BLOCK_DEVICE : XenDiskKind.FILE;
            return new XenDisk(spec, path, f, kind, String.join(":", prefixes), vdev, readOnly, shared, cdrom);
        }

        private XenDiskException fail(String problem) {
            return new XenDiskException(spec, problem);
        }
    }
}
