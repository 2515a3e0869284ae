package io.kvmj.launcher.demo;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;

/**
 * Writes a cpio archive in the SVR4 "newc" format (magic {@code 070701}), the format the Linux kernel
 * unpacks as an initramfs. Supports regular files, directories, symbolic links and device nodes.
 *
 * <p>Entry names are relative ("bin/busybox"); a leading slash is stripped. Each header and each data
 * block is padded to a multiple of four bytes. {@link #close()} (or {@link #finish()}) writes the
 * {@code TRAILER!!!} entry; the underlying stream is closed by {@link #close()} only.
 * Device nodes need no privileges: they are only described in the archive.
 */
public final class CpioNewcWriter implements AutoCloseable {
    /** Permission/type bits as used in cpio and stat(2). */
    public static final int S_IFDIR = 0040000;
    public static final int S_IFREG = 0100000;
    public static final int S_IFLNK = 0120000;
    public static final int S_IFCHR = 0020000;
    public static final int S_IFBLK = 0060000;

    private static final String MAGIC = "070701";
    private static final String TRAILER = "TRAILER!!!";
    private static final int HEADER_LEN = 110;

    private final OutputStream out;
    private final long mtime;
    private final Set<String> names = new HashSet<>();
    private long written;
    private int nextInode = 1;
    private boolean finished;

    /**
     * @param out   destination (wrap it in a {@link java.util.zip.GZIPOutputStream} for a compressed initramfs)
     * @param mtime modification time (seconds since the epoch) recorded for every entry; 0 gives reproducible archives
     */
    public CpioNewcWriter(OutputStream out, long mtime) {
        this.out = Objects.requireNonNull(out, "out");
        this.mtime = mtime;
    }

    /** Adds a directory with the given permission bits (e.g. 0755). */
    public CpioNewcWriter directory(String name, int perm) throws IOException {
        writeEntry(name, S_IFDIR | (perm & 07777), 2, 0, 0, new byte[0]);
        return this;
    }

    /** Adds a regular file with the given content and permission bits. */
    public CpioNewcWriter file(String name, int perm, byte[] content) throws IOException {
        writeEntry(name, S_IFREG | (perm & 07777), 1, 0, 0, content);
        return this;
    }

    /** Adds a regular file whose content is streamed from {@code source}. */
    public CpioNewcWriter file(String name, int perm, Path source) throws IOException {
        long size = Files.size(source);
        String n = header(name, S_IFREG | (perm & 07777), 1, size, 0, 0);
        long copied;
        try (InputStream in = Files.newInputStream(source)) {
            copied = in.transferTo(out);
        }
        if (copied != size) {
            throw new IOException("file " + source + " changed size while archiving it as " + n
                + " (expected " + size + " bytes, read " + copied + ")");
        }
        written += copied;
        pad();
        return this;
    }

    /** Adds a symbolic link {@code name -> target}. */
    public CpioNewcWriter symlink(String name, String target) throws IOException {
        if (target == null || target.isEmpty()) {
            throw new IllegalArgumentException("symlink " + name + " needs a non-empty target");
        }
        writeEntry(name, S_IFLNK | 0777, 1, 0, 0, target.getBytes(StandardCharsets.UTF_8));
        return this;
    }

    /** Adds a character device node (e.g. {@code dev/console}, 5:1). */
    public CpioNewcWriter charDevice(String name, int perm, int major, int minor) throws IOException {
        writeEntry(name, S_IFCHR | (perm & 07777), 1, major, minor, new byte[0]);
        return this;
    }

    /** Adds a block device node. */
    public CpioNewcWriter blockDevice(String name, int perm, int major, int minor) throws IOException {
        writeEntry(name, S_IFBLK | (perm & 07777), 1, major, minor, new byte[0]);
        return this;
    }

    /** Number of bytes written so far (before any compression by the underlying stream). */
    public long bytesWritten() {
        return written;
    }

    /** Writes the trailer entry; further additions fail. Idempotent. Does not close the stream. */
    public void finish() throws IOException {
        if (finished) {
            return;
        }
        // Trailer: all-zero header fields except nlink=1, then pad the archive to a 512-byte block like cpio(1).
        writeRaw(TRAILER, 0, 0, 1, 0, 0, 0);
        pad();
        while (written % 512 != 0) {
            out.write(0);
            written++;
        }
        finished = true;
        out.flush();
    }

    @Override
    public void close() throws IOException {
        try {
            finish();
        } finally {
            out.close();
        }
    }

    private void writeEntry(String name, int mode, int nlink, int rdevMajor, int rdevMinor, byte[] data)
            throws IOException {
        header(name, mode, nlink, data.length, rdevMajor, rdevMinor);
        out.write(data);
        written += data.length;
        pad();
    }

    private String header(String name, int mode, int nlink, long size, int rdevMajor, int rdevMinor)
            throws IOException {
        if (finished) {
            throw new IllegalStateException("cpio archive already finished; cannot add " + name);
        }
        String n = normalize(name);
        if (!names.add(n)) {
            throw new IllegalArgumentException("duplicate cpio entry: " + n);
        }
        if (size > 0xFFFFFFFFL) {
            throw new IllegalArgumentException("cpio newc entries are limited to 4 GiB: " + n + " has " + size + " bytes");
        }
        writeRaw(n, nextInode++, mode, nlink, size, rdevMajor, rdevMinor);
        return n;
    }

    private void writeRaw(String name, int ino, int mode, int nlink, long size, int rdevMajor, int rdevMinor)
            throws IOException {
        byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
        StringBuilder h = new StringBuilder(HEADER_LEN);
        h.append(MAGIC);
        hex(h, ino);
        hex(h, mode);
        hex(h, 0);          // uid
        hex(h, 0);          // gid
        hex(h, nlink);
        hex(h, mtime);
        hex(h, size);
        hex(h, 0);          // devmajor
        hex(h, 0);          // devminor
        hex(h, rdevMajor);
        hex(h, rdevMinor);
        hex(h, nameBytes.length + 1L);
        hex(h, 0);          // check (only used by the "crc" variant 070702)
        out.write(h.toString().getBytes(StandardCharsets.US_ASCII));
        out.write(nameBytes);
        out.write(0);
        written += HEADER_LEN + nameBytes.length + 1L;
        pad();
    }

    private void pad() throws IOException {
        while (written % 4 != 0) {
            out.write(0);
            written++;
        }
    }

    private static void hex(StringBuilder sb, long v) {
        if (v < 0 || v > 0xFFFFFFFFL) {
            throw new IllegalArgumentException("cpio header field out of range: " + v);
        }
        String s = Long.toHexString(v).toUpperCase(java.util.Locale.ROOT);
        sb.append("0".repeat(8 - s.length())).append(s);
    }

    static String normalize(String name) {
        Objects.requireNonNull(name, "name");
        String n = name;
        while (n.startsWith("/")) {
            n = n.substring(1);
        }
        while (n.endsWith("/")) {
            n = n.substring(0, n.length() - 1);
        }
        if (n.isEmpty()) {
            throw new IllegalArgumentException("empty cpio entry name: '" + name + "'");
        }
        for (String part : n.split("/")) {
            if (part.isEmpty() || part.equals("..") || part.equals(".")) {
                throw new IllegalArgumentException("bad cpio entry name (empty, '.' or '..' component): '" + name + "'");
            }
        }
        if (n.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("NUL in cpio entry name: '" + name + "'");
        }
        return n;
    }
}
