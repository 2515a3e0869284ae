package io.kvmj.core.model;

import java.nio.file.Path;
import java.util.Objects;

/** A guest serial port backed by a file, a unix socket (QEMU listens, no wait) or QEMU's stdio. */
public record SerialSpec(Kind kind, Path path) {
    /** Backend kind. */
    public enum Kind { FILE, UNIX_SOCKET, STDIO }

    public SerialSpec {
        Objects.requireNonNull(kind, "kind");
        if (kind != Kind.STDIO && path == null) throw new InvalidSpecException("serial.path", null, kind + " serial needs a path");
    }

    public static SerialSpec file(Path path) { return new SerialSpec(Kind.FILE, path); }

    public static SerialSpec unixSocket(Path path) { return new SerialSpec(Kind.UNIX_SOCKET, path); }

    public static SerialSpec stdio() { return new SerialSpec(Kind.STDIO, null); }
}
