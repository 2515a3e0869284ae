package io.kvmj.launcher.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kvmj.launcher.GuestException;
import io.kvmj.launcher.backend.LibvirtBackend;
import io.kvmj.launcher.backend.BackendDisk;
import io.kvmj.launcher.backend.LibvirtDisk;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * The libvirt forms of {@code disk list}, {@code disk snapshot} and {@code disk commit} ({@code kvmj --connect URI disk ...}): the disks
 * of the domain's live XML, and an external disk-only snapshot through {@code virDomainSnapshotCreateXML}, so libvirt
 * knows the new overlay (its domain XML, later block jobs, migration), and an active commit through {@code
 * virDomainBlockCommit} pivoted ({@code virDomainBlockJobAbort} PIVOT) once ready. DRIVE is the disk's target dev ({@code vda}).
 * JSON keys are those of the local forms where they apply; {@code drive} is the target dev, {@code qdev} libvirt's
 * device alias. Block QMP commands are never sent behind libvirt's back.
 */
final class LibvirtDiskCli {
    private LibvirtDiskCli() {
    }

    static int list(DiskListCommand c, String uri) {
        PrintWriter out = c.disk.out();
        try (LibvirtBackend lv = LibvirtBackend.connect(uri)) {
            boolean running = lv.require(c.disk.name).active();
            List<LibvirtDisk> disks = lv.libvirtDisks(c.disk.name);
            if (c.json) {
                ArrayNode a = Json.MAPPER.createArrayNode();
                for (LibvirtDisk d : disks) {
                    a.add(json(d, running && d.inserted() ? capacity(lv, c.disk.name, d.target()) : null));
                }
                out.println(Json.pretty(a));
            } else {
                if (disks.isEmpty()) {
                    out.println("guest " + c.disk.name + " has no disks");
                }
                for (LibvirtDisk d : disks) {
                    print(out, d);
                }
            }
            out.flush();
            return ExitCodes.OK;
        } catch (GuestException e) {
            return failed(c.disk.err(), "list", e.getMessage());
        }
    }

    static int snapshot(DiskSnapshotCommand c, String uri) {
        PrintWriter out = c.disk.out();
        PrintWriter err = c.disk.err();
        if (c.node != null) {
            return usage(err, "--node is not available with --connect (libvirt names the block nodes)");
        }
        if (c.file != null && !c.file.isAbsolute() && !LibvirtSaveCli.onThisHost(uri)) {
            return usage(err, "--file must be an absolute path on the daemon's host with a remote --connect URI");
        }
        try (LibvirtBackend lv = LibvirtBackend.connect(uri)) {
            if (!lv.require(c.disk.name).active()) {
                return failed(err, "snapshot", "guest '" + c.disk.name + "' is not running under " + uri);
            }
            LibvirtDisk before = lv.libvirtDisk(c.disk.name, c.disk.drive);
            if (!before.inserted()) {
                return failed(err, "snapshot", c.disk.drive + " has no medium");
            }
            Path overlay;
            try {
                overlay = c.file != null ? c.file.toAbsolutePath().normalize()
                        : LibvirtSaveCli.onThisHost(uri) ? DiskSupport.defaultOverlay(before.file(), Instant.now()) : null;
            } catch (IllegalArgumentException e) {
                return usage(err, e.getMessage());
            }
            if (overlay == null) {
                return usage(err, "give the overlay's path on the daemon's host with --file (remote --connect URI)");
            }
            if (LibvirtSaveCli.onThisHost(uri) && Files.exists(overlay)) {
                return usage(err, overlay + " already exists; refusing to overwrite it");
            }
            lv.diskSnapshot(c.disk.name, before.target(), overlay, c.quiesce);
            LibvirtDisk after = lv.libvirtDisk(c.disk.name, before.target());
            if (c.json) {
                ObjectNode o = Json.object().put("guest", c.disk.name).put("operation", "snapshot");
                o.set("drive", json(after, lv.diskCapacity(c.disk.name, after.target())));
                o.put("overlay", overlay.toString()).put("frozenFile", before.file()).put("quiesced", c.quiesce)
                        .put("connect", uri);
                out.println(Json.pretty(o));
            } else {
                out.println(after.target() + ": new active layer " + after.file() + ", backed by " + before.file()
                        + " (now read-only)" + (c.quiesce ? "; quiesced through the guest agent" : ""));
            }
            out.flush();
            return ExitCodes.OK;
        } catch (GuestException e) {
            return failed(err, "snapshot", e.getMessage());
        }
    }

    static int commit(DiskCommitCommand c, String uri) {
        PrintWriter out = c.disk.out();
        PrintWriter err = c.disk.err();
        var parsed = c.disk.spec.commandLine().getParseResult();
        for (String o : List.of("--speed", "--job-timeout")) {
            if (parsed.hasMatchedOption(o)) {
                return usage(err, "commit", o + " is not available with --connect");
            }
        }
        try (LibvirtBackend lv = LibvirtBackend.connect(uri)) {
            LibvirtDisk before = lv.libvirtDisk(c.disk.name, c.disk.drive);
            List<BackendDisk.Layer> chain = before.chain();
            String want = c.base != null && c.base.contains("/") && LibvirtSaveCli.onThisHost(uri)
                    ? Path.of(c.base).toAbsolutePath().normalize().toString() : c.base;
            Thread main = Thread.currentThread();
            Signals.onInterrupt(main::interrupt);
            try {
                lv.diskCommit(c.disk.name, before.target(), want);
            } catch (IllegalArgumentException e) {
                return usage(err, "commit", "--base " + e.getMessage());
            } catch (InterruptedException e) {
                err.println("kvmj disk commit: interrupted; the commit job was cancelled, " + before.target()
                        + " stays on " + before.file());
                err.flush();
                return ExitCodes.INTERRUPTED;
            }
            LibvirtDisk after = lv.libvirtDisk(c.disk.name, before.target());
            String into = after.file();
            int baseIndex = Math.max(1, chain.stream().map(BackendDisk.Layer::file).toList().indexOf(into));
            List<BackendDisk.Layer> dropped = chain.subList(0, baseIndex);
            if (c.json) {
                ObjectNode o = Json.object().put("guest", c.disk.name).put("operation", "commit");
                o.set("drive", json(after, lv.diskCapacity(c.disk.name, after.target())));
                o.put("committedInto", into);
                ArrayNode unused = o.putArray("unusedFiles");
                dropped.forEach(l -> unused.add(l.file()));
                o.put("connect", uri);
                out.println(Json.pretty(o));
            } else {
                out.println(before.target() + ": committed " + before.file() + " into " + into
                        + "; active layer is now " + after.file());
                out.println("no longer used by the guest (delete when not needed): "
                        + String.join(", ", dropped.stream().map(BackendDisk.Layer::file).toList()));
            }
            out.flush();
            return ExitCodes.OK;
        } catch (GuestException e) {
            return failed(err, "commit", e.getMessage());
        }
    }

    /** The disk's virtual size, or null when libvirt cannot tell (e.g. a network disk it does not probe). */
    private static Long capacity(LibvirtBackend lv, String name, String target) {
        try {
            return lv.diskCapacity(name, target);
        } catch (GuestException e) {
            return null;
        }
    }

    /** The local {@code disk list --json} keys that apply; {@code virtualSize} only for a running domain's medium. */
    static ObjectNode json(LibvirtDisk d, Long virtualSize) {
        ObjectNode o = Json.object().put("drive", d.target()).put("device", d.device()).put("qdev", d.alias())
                .put("bus", d.bus()).put("file", d.file()).put("format", d.format());
        if (virtualSize != null) {
            o.put("virtualSize", virtualSize);
        }
        o.put("readOnly", d.readOnly()).put("inserted", d.inserted());
        if (d.cache() != null) {
            o.putObject("cache").put("mode", d.cache());
        }
        ArrayNode chain = o.putArray("chain");
        for (int i = 0; i < d.chain().size(); i++) {
            BackendDisk.Layer l = d.chain().get(i);
            chain.addObject().put("file", l.file()).put("format", l.format())
                    .put("readOnly", i > 0 || d.readOnly())
                    .put("backingFile", i + 1 < d.chain().size() ? d.chain().get(i + 1).file() : null);
        }
        return o;
    }

    private static void print(PrintWriter out, LibvirtDisk d) {
        if (!d.inserted()) {
            out.println(d.target() + "  (empty " + d.device() + ")");
            return;
        }
        out.println(d.target() + "  " + d.format() + "  " + d.device() + (d.bus() != null ? " on " + d.bus() : "")
                + (d.cache() != null ? "  cache=" + d.cache() : "") + "  " + (d.readOnly() ? "read-only" : "read-write")
                + (d.chain().size() > 1 ? "  chain of " + d.chain().size() : ""));
        for (int i = 0; i < d.chain().size(); i++) {
            BackendDisk.Layer l = d.chain().get(i);
            out.printf("  %-7s  %s (%s)%n", i == 0 ? "active" : "backing", l.file(), l.format());
        }
    }

    private static int usage(PrintWriter err, String msg) {
        return usage(err, "snapshot", msg);
    }

    static int usage(PrintWriter err, String cmd, String msg) {
        err.println("kvmj disk " + cmd + ": " + msg);
        err.flush();
        return ExitCodes.USAGE;
    }

    static int failed(PrintWriter err, String cmd, String msg) {
        err.println("kvmj disk " + cmd + ": " + msg);
        err.flush();
        return ExitCodes.FAILED;
    }
}
