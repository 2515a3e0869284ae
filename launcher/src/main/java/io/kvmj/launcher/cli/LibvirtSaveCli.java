package io.kvmj.launcher.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kvmj.launcher.GuestException;
import io.kvmj.launcher.backend.BackendGuest;
import io.kvmj.launcher.backend.LibvirtBackend;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The libvirt forms of {@code save} and {@code restore} ({@code kvmj --connect URI save NAME FILE}, {@code kvmj
 * --connect URI restore FILE}): {@code virDomainSave} / {@code virDomainRestore}, as {@code virsh save/restore}. FILE
 * is a path on the daemon's host, written and read by libvirt (its image format, not kvmj's). Same exit codes and
 * JSON keys as the local forms where they mean the same; {@code restore --name/--qemu/--timeout} have no libvirt form
 * and are refused (exit 2).
 */
final class LibvirtSaveCli {
    private static final List<String> RESTORE_LOCAL_ONLY = List.of("--name", "--qemu", "--timeout");

    private LibvirtSaveCli() {
    }

    static int save(SaveCommand c, String uri) {
        PrintWriter out = c.spec.commandLine().getOut();
        PrintWriter err = c.spec.commandLine().getErr();
        Report r = new Report("save", c.json, out, err, Json.object().put("name", c.name));
        Optional<String> bad = checkPath(c.file, uri);
        if (bad.isPresent()) {
            return r.fail(ExitCodes.USAGE, bad.get());
        }
        String file = c.file.toAbsolutePath().toString();
        if (onThisHost(uri) && Files.exists(c.file)) {
            return r.fail(ExitCodes.USAGE, c.file + " exists; kvmj save does not overwrite");
        }
        AtomicBoolean interrupted = new AtomicBoolean();
        try (LibvirtBackend lv = LibvirtBackend.connect(uri)) {
            Optional<BackendGuest> g = lv.list().stream().filter(x -> x.name().equals(c.name)).findFirst();
            if (g.isEmpty() || !g.get().active()) {
                return r.fail(ExitCodes.USAGE, "no running guest named '" + c.name + "' under " + uri);
            }
            Signals.onInterrupt(() -> {
                interrupted.set(true);
                Thread t = new Thread(() -> lv.abortSave(c.name), "kvmj-libvirt-abort");
                t.setDaemon(true);
                t.start();
            });
            long t0 = System.nanoTime();
            try {
                lv.save(c.name, Path.of(file));
            } catch (GuestException e) {
                boolean running = lv.require(c.name).active();
                return r.fail(interrupted.get() && running ? ExitCodes.INTERRUPTED : ExitCodes.FAILED, e.getMessage()
                        + (running ? " (the guest keeps running)" : ""));
            }
            long ms = (System.nanoTime() - t0) / 1_000_000;
            Long bytes = size(c.file, uri);
            if (c.json) {
                ObjectNode o = Json.object().put("source", c.name).put("destination", file).put("totalTimeMs", ms)
                        .put("fileBytes", bytes).put("file", file).put("connect", uri);
                out.println(Json.pretty(o));
            } else {
                out.printf("guest %s saved to %s under %s (%s%d ms) and stopped%n", c.name, file, uri,
                        bytes == null ? "" : String.format("%.1f MiB, ", bytes / 1048576.0), ms);
            }
            out.flush();
            return ExitCodes.OK;
        } catch (GuestException e) {
            return r.fail(ExitCodes.FAILED, e.getMessage());
        }
    }

    static int restore(RestoreCommand c, String uri) {
        PrintWriter out = c.spec.commandLine().getOut();
        PrintWriter err = c.spec.commandLine().getErr();
        Report r = new Report("restore", c.json, out, err, Json.object().put("file", String.valueOf(c.file)));
        var parsed = c.spec.commandLine().getParseResult();
        for (String o : RESTORE_LOCAL_ONLY) {
            if (parsed.hasMatchedOption(o)) {
                return r.fail(ExitCodes.USAGE, o + " is not available with --connect (libvirt restores the saved "
                        + "domain as it was, under its own name)");
            }
        }
        Optional<String> bad = checkPath(c.file, uri);
        if (bad.isPresent()) {
            return r.fail(ExitCodes.USAGE, bad.get());
        }
        if (onThisHost(uri) && !Files.isRegularFile(c.file)) {
            return r.fail(ExitCodes.USAGE, "no such file: " + c.file);
        }
        String file = c.file.toAbsolutePath().toString();
        try (LibvirtBackend lv = LibvirtBackend.connect(uri)) {
            String name;
            try {
                name = lv.savedDomain(file);
            } catch (GuestException e) {
                return r.fail(ExitCodes.USAGE, e.getMessage());
            }
            Optional<BackendGuest> same = lv.list().stream().filter(x -> x.name().equals(name)).findFirst();
            if (same.isPresent() && same.get().active()) {
                return r.fail(ExitCodes.USAGE, "guest '" + name + "' is already running under " + uri);
            }
            BackendGuest g = lv.restore(Path.of(file));
            if (c.json) {
                out.println(Json.pretty(LibvirtCli.guestJson(g, uri).put("file", file)));
            } else {
                out.printf("guest %s restored from %s under %s: domain id %d, %s%n", g.name(), file, uri, g.id(),
                        g.state());
            }
            out.flush();
            return ExitCodes.OK;
        } catch (GuestException e) {
            return r.fail(ExitCodes.FAILED, e.getMessage());
        }
    }

    /** A local daemon ({@code qemu:///system}, no host in the URI) sees this host's files. */
    static boolean onThisHost(String uri) {
        return LibvirtBackend.onThisHost(uri);
    }

    /** A relative FILE means nothing on another host: refused there. */
    private static Optional<String> checkPath(Path file, String uri) {
        if (!onThisHost(uri) && !file.isAbsolute()) {
            return Optional.of("FILE must be an absolute path on the daemon's host with a remote --connect URI: " + file);
        }
        return Optional.empty();
    }

    private static Long size(Path file, String uri) {
        if (!onThisHost(uri)) {
            return null;
        }
        try {
            return Files.size(file);
        } catch (IOException e) {
            return null;
        }
    }

    /** The one-line error on stderr, and with {@code --json} the local forms' error object on stdout. */
    private record Report(String cmd, boolean json, PrintWriter out, PrintWriter err, ObjectNode base) {
        int fail(int code, String message) {
            if (json) {
                out.println(Json.pretty(base.put("error", message)));
                out.flush();
            }
            err.println("kvmj " + cmd + ": " + message);
            err.flush();
            return code;
        }
    }
}
