package io.kvmj.launcher.process;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The per-guest runtime directory (mode 0700): {@code $KVMJ_RUNTIME_DIR/NAME}, else
 * {@code $XDG_RUNTIME_DIR/kvmj/NAME}, else {@code /tmp/kvmj-UID/NAME}. It holds the QMP socket, the serial
 * console socket and log, QEMU's stderr, QEMU's pidfile and {@code guest.json} (a {@link GuestRecord}: what the registry and
 * the CLI read). The directory is the guest's claim on its name: a name is unique per user while its
 * directory belongs to a live QEMU (or to a launch still in progress).
 *
 * <p>Instances are immutable and thread-safe; the files they point to are not synchronised.
 */
public final class RuntimeDir {
    /** Guest names: 1-64 characters, letters, digits, '.', '_' and '-', not starting with '.' or '-'. */
    public static final Pattern NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]{0,63}");
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");
    private static final int MAX_SOCKET_PATH = 107;
    /** A launch in progress (no QEMU pid yet) keeps its claim this long while its launcher JVM lives. */
    private static final long STARTING_GRACE_MS = 120_000;

    private final String name;
    private final Path dir;

    private RuntimeDir(String name, Path dir) {
        this.name = name;
        this.dir = dir;
    }

    /** The directory holding all guests' runtime directories, created (0700) if missing. */
    public static Path base() {
        String override = System.getProperty("kvmj.runtime.dir", System.getenv("KVMJ_RUNTIME_DIR"));
        Path base;
        if (override != null && !override.isBlank()) {
            base = Path.of(override);
        } else {
            String xdg = System.getenv("XDG_RUNTIME_DIR");
            if (xdg != null && !xdg.isBlank() && Files.isDirectory(Path.of(xdg)) && Files.isWritable(Path.of(xdg))) {
                base = Path.of(xdg, "kvmj");
            } else {
                base = Path.of(System.getProperty("java.io.tmpdir", "/tmp"), "kvmj-" + currentUid());
            }
        }
        ensurePrivateDir(base);
        return base.toAbsolutePath();
    }

    /** Throws {@link IllegalArgumentException} with a clear message for an invalid guest name. */
    public static String validateName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("invalid guest name '" + name
                    + "': use 1-64 letters, digits, '.', '_' or '-', not starting with '.' or '-'");
        }
        return name;
    }

    /**
     * Claims the runtime directory for {@code name}: created atomically; an existing directory whose QEMU
     * is gone (stale) is removed first; one whose QEMU is alive is refused.
     *
     * @throws RuntimeDirException when a live guest already uses the name, or the directory cannot be made
     */
    public static RuntimeDir claim(String name) {
        validateName(name);
        Path base = base();
        RuntimeDir rd = new RuntimeDir(name, base.resolve(name));
        if (rd.consoleSocket().toString().getBytes(StandardCharsets.UTF_8).length > MAX_SOCKET_PATH) {
            throw new RuntimeDirException("runtime directory path too long for a unix socket (max "
                    + MAX_SOCKET_PATH + " bytes): " + rd.consoleSocket() + "; set KVMJ_RUNTIME_DIR to a shorter path");
        }
        for (int attempt = 0; attempt < 2; attempt++) {
            try {
                Files.createDirectory(rd.dir, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
                Files.setPosixFilePermissions(rd.dir, OWNER_ONLY); // umask may have removed bits; none added
                rd.update(r -> r.toBuilder().name(name).launcherPid(ProcessHandle.current().pid())
                        .created(Instant.now().toString()).build());
                return rd;
            } catch (FileAlreadyExistsException e) {
                if (rd.isLive()) {
                    Optional<Long> pid = rd.qemuPid();
                    throw new RuntimeDirException("a guest named '" + name + "' is already running"
                            + pid.map(p -> " (QEMU pid " + p + ")").orElse(" (launch in progress)")
                            + "; runtime directory " + rd.dir);
                }
                rd.delete();
            } catch (IOException e) {
                throw new RuntimeDirException("cannot create runtime directory " + rd.dir + ": " + e);
            }
        }
        throw new RuntimeDirException("cannot claim runtime directory " + rd.dir + " (concurrent launches?)");
    }

    /** Where the runtime directory of {@code name} is or would be (nothing is created but the base directory). */
    public static RuntimeDir locate(String name) {
        validateName(name);
        return new RuntimeDir(name, base().resolve(name));
    }

    /** The existing runtime directory of {@code name}, live or stale, if present. */
    public static Optional<RuntimeDir> find(String name) {
        validateName(name);
        Path dir = base().resolve(name);
        return Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS) ? Optional.of(new RuntimeDir(name, dir))
                : Optional.empty();
    }

    /** All runtime directories under {@link #base()}, live or stale, sorted by name. */
    public static List<RuntimeDir> all() {
        // sorted by a TreeMap, not by a Comparator lambda: linking one costs kvmj list several ms (issue 19)
        TreeMap<String, RuntimeDir> byName = new TreeMap<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(base())) {
            for (Path p : ds) {
                String n = p.getFileName().toString();
                if (NAME.matcher(n).matches() && Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    byName.put(n, new RuntimeDir(n, p));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new ArrayList<>(byName.values());
    }

    public String name() {
        return name;
    }

    public Path path() {
        return dir;
    }

    /** QMP server socket (server mode; the CLI and other processes connect here). */
    public Path qmpSocket() {
        return dir.resolve("qmp.sock");
    }

    /** Second server-mode QMP socket, reserved for long-lived event streams ({@code kvmj events}). */
    public Path eventsSocket() {
        return dir.resolve("events.sock");
    }

    /** QMP socket the launching JVM listens on; QEMU connects to it at start-up. */
    public Path qmpListenSocket() {
        return dir.resolve("qmp-l.sock");
    }

    /** Serial console socket (QEMU is the server; one client at a time). */
    public Path consoleSocket() {
        return dir.resolve("console.sock");
    }

    /** Everything the guest wrote to its serial console (written by QEMU itself, also while no one is connected). */
    public Path consoleLog() {
        return dir.resolve("console.log");
    }

    /**
     * The guest-agent channel ({@code virtserialport} named {@code org.qemu.guest_agent.0}; QEMU listens, one client
     * at a time). Present for guests with a PCI bus (q35, pc).
     */
    public Path agentSocket() {
        return dir.resolve("qga.sock");
    }

    /** QEMU's stdout and stderr. */
    public Path stderrLog() {
        return dir.resolve("qemu.stderr");
    }

    /**
     * The VNC password given as text ({@code --graphics vnc,password=}): written here (0600) just before QEMU starts,
     * read by QEMU's {@code -object secret,file=}, kept while the guest lives so that a QEMU started again for it
     * ({@code kvmj migrate} to a new guest, {@code save}) gets it too; it goes with the directory. Whoever can read
     * it can use this directory's QMP socket anyway, which could set another password.
     */
    public Path vncPasswordFile() {
        return dir.resolve("vnc.secret");
    }

    /** QEMU's pidfile ({@code -pidfile}). */
    public Path pidFile() {
        return dir.resolve("qemu.pid");
    }

    /** The guest's {@link GuestRecord} as JSON (name, pid, accelerator, detached, argv...). */
    public Path infoFile() {
        return dir.resolve("guest.json");
    }

    /** The QEMU pid: from QEMU's pidfile, else from {@code guest.json}. */
    public Optional<Long> qemuPid() {
        try {
            if (Files.isRegularFile(pidFile())) {
                String s = Files.readString(pidFile()).strip();
                if (!s.isEmpty()) {
                    return Optional.of(Long.parseLong(s));
                }
            }
        } catch (IOException | NumberFormatException ignored) {
            // fall through
        }
        return Optional.ofNullable(record().pid());
    }

    /**
     * True while the guest's QEMU is alive, or while a launch is in progress (no QEMU pid yet, the launcher JVM
     * alive, directory recent).
     */
    public boolean isLive() {
        Optional<Long> pid = qemuPid();
        if (pid.isPresent()) {
            return isQemuOf(pid.get());
        }
        Long launcher = record().launcherPid();
        if (launcher == null) {
            return recentlyModified();
        }
        return Pids.alive(launcher) && recentlyModified();
    }

    private boolean recentlyModified() {
        try {
            return System.currentTimeMillis() - Files.getLastModifiedTime(dir).toMillis() < STARTING_GRACE_MS;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * True when {@code pid} is alive and is this guest's QEMU: its command line names this runtime directory (QEMU
     * is started with {@code -pidfile DIR/qemu.pid} and its sockets in DIR). Guards against a reused pid, including
     * one that now belongs to another guest's QEMU. Only when the command line cannot be read (no /proc, another
     * user's process) does the executable name decide (contains {@code qemu}), and when that is unknown too, the
     * pid is trusted.
     */
    public boolean isQemuOf(long pid) {
        if (!Pids.alive(pid)) {
            return false;
        }
        Optional<String> cmdline = Pids.commandLine(pid);
        if (cmdline.isPresent()) {
            return cmdline.get().contains(dir.toString() + "/");
        }
        return Pids.command(pid).map(c -> c.contains("qemu")).orElse(true);
    }

    /**
     * What {@code guest.json} records (only the name when it is missing or unreadable: a directory being claimed, or
     * one from another kvmj version).
     */
    public GuestRecord record() {
        try {
            return GuestRecordReader.read(infoFile());
        } catch (IOException e) {
            return GuestRecord.named(name);
        }
    }

    /**
     * Replaces {@code guest.json} atomically with {@code change} applied to the current record, holding the
     * directory's {@link RecordLock}, so concurrent updates by other threads and kvmj processes are not lost.
     */
    public void update(UnaryOperator<GuestRecord> change) {
        RecordLock.locked(dir, () -> {
            GuestRecord next = change.apply(record());
            Path tmp = dir.resolve("guest.json.tmp");
            try {
                Json.MAPPER.writeValue(tmp.toFile(), next);
                Files.move(tmp, infoFile(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + infoFile(), e);
            }
        });
    }

    /** Removes the directory and everything in it; quiet when already gone. */
    public void delete() {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // best effort
                }
            });
        } catch (IOException ignored) {
            // best effort
        }
    }

    @Override
    public String toString() {
        return dir.toString();
    }

    static int currentUid() {
        try {
            return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        } catch (IOException | UnsupportedOperationException e) {
            return -1;
        }
    }

    private static void ensurePrivateDir(Path d) {
        try {
            if (!Files.exists(d, LinkOption.NOFOLLOW_LINKS)) {
                Files.createDirectories(d, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
                Files.setPosixFilePermissions(d, OWNER_ONLY);
            }
            if (!Files.isDirectory(d, LinkOption.NOFOLLOW_LINKS)) {
                throw new IllegalStateException(d + " is not a directory");
            }
            int owner = (Integer) Files.getAttribute(d, "unix:uid", LinkOption.NOFOLLOW_LINKS);
            int me = currentUid();
            if (me >= 0 && owner != me) {
                throw new IllegalStateException("refusing runtime directory " + d + ": owned by uid " + owner
                        + ", not by uid " + me);
            }
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(d, LinkOption.NOFOLLOW_LINKS);
            if (!OWNER_ONLY.containsAll(perms)) {
                Files.setPosixFilePermissions(d, OWNER_ONLY);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare runtime directory " + d, e);
        }
    }

    /** Jackson's data binding only once a record is written: {@code kvmj list} never needs it (issue 19). */
    private static final class Json {
        static final ObjectMapper MAPPER = new ObjectMapper();
    }
}
