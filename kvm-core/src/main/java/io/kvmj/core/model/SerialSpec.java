package io.kvmj.core.model;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A guest serial port backed by a file, a unix socket (QEMU listens, no wait) or QEMU's stdio. A socket or stdio
 * port may also have a {@code logfile} that QEMU appends everything the guest writes to ({@code logfile=…,
 * logappend=on}), complete even while nobody is connected — kvmj's console is such a port:
 *
 * <pre>{@code
 * SerialSpec console = SerialSpec.unixSocket(dir.resolve("console.sock")).withLog(dir.resolve("console.log"));
 * }</pre>
 *
 * @param kind    backend kind
 * @param path    file or socket path (null for stdio)
 * @param logfile file the chardev logs to (appending), or null
 */
public record SerialSpec(Kind kind, Path path, Path logfile) {
    /** Backend kind. */
    public enum Kind { FILE, UNIX_SOCKET, STDIO }

    public SerialSpec {
        Objects.requireNonNull(kind, "kind");
        if (kind != Kind.STDIO && path == null) {
            throw new InvalidSpecException("serial.path", null, kind + " serial needs a path");
        }
        if (kind == Kind.FILE && logfile != null) {
            throw new InvalidSpecException("serial.logfile", logfile, "a file serial is its own log");
        }
    }

    /** A port without a log file. */
    public SerialSpec(Kind kind, Path path) { this(kind, path, null); }

    public static SerialSpec file(Path path) { return new SerialSpec(Kind.FILE, path); }

    public static SerialSpec unixSocket(Path path) { return new SerialSpec(Kind.UNIX_SOCKET, path); }

    public static SerialSpec stdio() { return new SerialSpec(Kind.STDIO, null); }

    /** This port, also logging the guest's output to {@code logfile} (appending). */
    public SerialSpec withLog(Path logfile) { return new SerialSpec(kind, path, logfile); }
}
