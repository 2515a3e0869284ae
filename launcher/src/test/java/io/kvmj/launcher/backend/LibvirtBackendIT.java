package io.kvmj.launcher.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.kvmj.core.model.Accelerator;
import io.kvmj.core.model.DiskFormat;
import io.kvmj.core.model.GuestSpec;
import io.kvmj.core.model.KernelBoot;
import io.kvmj.core.model.MachineType;
import io.kvmj.core.model.SerialSpec;
import io.kvmj.core.spec.GuestSpecJson;
import io.kvmj.launcher.cli.CliProcess;
import io.kvmj.launcher.cli.CliProcess.Result;
import io.kvmj.launcher.demo.DemoException;
import io.kvmj.launcher.demo.DemoGuest;
import io.kvmj.launcher.demo.DemoOptions;
import io.kvmj.launcher.demo.GuestKernel;
import io.kvmj.launcher.demo.KernelLocator;
import io.kvmj.launcher.demo.PreparedDemo;
import io.kvmj.launcher.migrate.MigrationTestGuest;
import io.kvmj.launcher.testutil.Requirements;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * {@code kvmj --connect URI run|list|qmp|agent|events|stop} against a private libvirtd (one daemon, one TCG demo guest for
 * the class): the demo guest's spec is started through libvirt, listed, queried over libvirt's monitor and stopped by
 * the ACPI rung of libvirt's ladder (before that, {@code --connect URI disk list|snapshot|commit} on its scratch
 * disk: an external disk-only snapshot libvirt knows of, committed back and pivoted; then {@code disk backup} of it
 * while it runs, qcow2 by the CLI and raw by the Java API, each compared with the disk by qemu-img, an existing
 * target refused and untouched) (the demo guest idles until its power button); {@code kvmj export NAME} of a
 * local guest gives its recorded spec's domain XML; a {@code qemu+ssh://} URI reaches libvirt unchanged. A second
 * guest with a busybox shell on its pty console (one more TCG boot) is driven through {@code --connect URI console},
 * saved and restored ({@code --connect URI save|restore}), its tmpfs marker intact after the restore. The Java API
 * ({@link GuestBackend#connect}) does the same on the same two guests ({@link BackendChecks}, as
 * {@code LocalBackendIT} on the local backend): events of a pause and resume, a disk snapshot and commit, the console
 * (busy for a second client), a save and restore keeping the marker. On that guest last, {@code --connect URI disk
 * attach|resize|detach} and then the Java API hot-plug a marked disk (raw, then qcow2), grow it and hot-unplug it,
 * checked from inside the guest (the marker on the new /dev/vdX, its size in /sys/block) and by qemu-img.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LibvirtBackendIT {
    private static final Duration BOOT = Duration.ofSeconds(300);
    private Path dir;
    private PrivateLibvirtd libvirt;
    private PreparedDemo demo;
    private CliProcess cli;
    private String uri;
    private String name;
    private Path specFile;
    private Path consoleLog;
    private MigrationTestGuest shell;
    private String shellName;
    private Path shellSpec;

    @BeforeAll
    void start() throws Exception {
        dir = Files.createTempDirectory(Path.of("/tmp"), "kvmj-lvb-");
        cli = CliProcess.require(Files.createDirectories(dir.resolve("runtime")));
        GuestKernel kernel = null;
        try {
            kernel = KernelLocator.forThisHost().locate(null);
        } catch (DemoException e) {
            Requirements.missing("no demo guest kernel: " + e.getMessage());
        }
        libvirt = PrivateLibvirtd.start(Files.createDirectories(dir.resolve("libvirtd")));
        uri = libvirt.uri();
        demo = DemoGuest.prepare(kernel, DemoOptions.defaults()).withAccelerator(Accelerator.TCG);
        name = "kvmj-lvb-" + ProcessHandle.current().pid();
        consoleLog = dir.resolve("console.log");
        GuestSpec spec = demo.guestSpecAwaitingPowerButton(name).toBuilder()
                .serial(SerialSpec.file(consoleLog)).build(); // libvirt's QEMU writes the console to this file
        specFile = Files.writeString(dir.resolve("vm.json"), GuestSpecJson.write(spec));
        shell = new MigrationTestGuest(Files.createDirectories(dir.resolve("shell")));
        shellName = name + "-sh";
        GuestSpec sh = GuestSpec.builder(shellName).machine(MachineType.PC).accelerator(Accelerator.TCG).cpus(1)
                .memoryMiB(192).noReboot(true).kernel(KernelBoot.of(shell.kernel.kernel(), shell.initrd,
                        MigrationTestGuest.APPEND))
                .startPaused(true).build(); // no serial in the spec: the daemon's pty console; paused: no output lost
        shellSpec = Files.writeString(dir.resolve("shell.json"), GuestSpecJson.write(sh));
    }

    @AfterAll
    void stop() throws Exception {
        try {
            if (libvirt != null) {
                libvirt.virsh("destroy", name);
                libvirt.virsh("undefine", name);
                libvirt.virsh("destroy", shellName);
                libvirt.virsh("undefine", shellName);
                libvirt.close();
            }
        } finally {
            if (demo != null) {
                demo.close();
            }
            if (dir != null) {
                try (var s = Files.walk(dir)) {
                    s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
        }
    }

    private Result kvmj(String... args) throws Exception {
        String[] a = new String[args.length + 2];
        a[0] = "--connect";
        a[1] = uri;
        System.arraycopy(args, 0, a, 2, args.length);
        return cli.run(120, a);
    }

    @Test
    @Order(1)
    void runStartsTheSpecAsALibvirtDomainAndListShowsIt() throws Exception {
        Result run = kvmj("run", "--spec", specFile.toString(), "--detach", "--json");
        assertEquals(0, run.exit(), run.toString());
        JsonNode g = run.json();
        assertEquals(name, g.path("name").asText());
        assertEquals("running", g.path("state").asText(), run.out());
        assertTrue(g.path("id").asInt() > 0, run.out());
        assertTrue(libvirt.virsh("domstate", name).out().contains("running"), "virsh sees it too");

        Result list = kvmj("list", "--json");
        assertEquals(0, list.exit(), list.toString());
        JsonNode l = null;
        for (JsonNode x : list.json()) {
            if (x.path("name").asText().equals(name)) {
                l = x;
            }
        }
        assertTrue(l != null, list.out());
        assertEquals("running", l.path("state").asText());
        assertEquals(1, l.path("vcpus").asInt());
        assertEquals(PreparedDemo.MEMORY_MIB, l.path("memoryMiB").asInt());
        assertTrue(l.path("persistent").asBoolean());
        assertEquals(uri, l.path("connect").asText());
        assertEquals(g.path("uuid").asText(), l.path("uuid").asText());
    }

    @Test
    @Order(2)
    void qmpGoesThroughLibvirtsMonitor() throws Exception {
        Result st = kvmj("qmp", name, "query-status");
        assertEquals(0, st.exit(), st.toString());
        assertEquals("running", st.json().path("status").asText(), st.out());
        Result blocks = kvmj("qmp", name, "query-block");
        assertTrue(blocks.out().contains(demo.disk().toString()), "the demo's scratch disk: " + blocks.out());
        Result bad = kvmj("qmp", name, "no-such-command");
        assertEquals(1, bad.exit(), bad.toString());
        assertTrue(bad.err().contains("CommandNotFound"), bad.err());
        Result missing = kvmj("qmp", "no-such-guest", "query-status");
        assertEquals(1, missing.exit(), missing.toString());
        assertTrue(missing.err().contains("no-such-guest"), missing.err());
    }

    @Test
    @Order(3)
    void agentWithoutQemuGaAndASecondRunFailClearly() throws Exception {
        Result ping = kvmj("agent", name, "ping", "--timeout", "2");
        assertEquals(1, ping.exit(), "the demo guest runs no qemu-ga: " + ping);
        assertTrue(ping.err().toLowerCase().contains("agent"), ping.err());
        Result again = kvmj("run", "--spec", specFile.toString(), "--detach");
        assertEquals(1, again.exit(), again.toString());
        assertTrue(again.err().contains("already running"), again.err());
    }

    @Test
    @Order(4)
    void diskListSnapshotAndCommitGoThroughLibvirt() throws Exception {
        String base = demo.disk().toString();
        Result list = kvmj("disk", "list", name, "--json");
        assertEquals(0, list.exit(), list.toString());
        JsonNode vd = null;
        for (JsonNode x : list.json()) {
            if (x.path("file").asText().equals(base)) {
                vd = x;
            }
        }
        assertTrue(vd != null, "the demo's scratch disk: " + list.out());
        String drive = vd.path("drive").asText();
        assertTrue(drive.startsWith("vd"), "virtio-blk target dev: " + list.out());
        assertEquals("qcow2", vd.path("format").asText());
        assertEquals(1, vd.path("chain").size(), list.out());
        assertTrue(vd.path("virtualSize").asLong() > 0, list.out());

        Path overlay = dir.resolve("scratch-snap1.qcow2");
        Result snap = kvmj("disk", "snapshot", name, drive, "--file", overlay.toString(), "--json");
        assertEquals(0, snap.exit(), snap.toString());
        JsonNode j = snap.json();
        assertEquals(overlay.toString(), j.path("overlay").asText());
        assertEquals(base, j.path("frozenFile").asText());
        assertEquals(overlay.toString(), j.path("drive").path("file").asText(), snap.out());
        assertEquals(base, j.path("drive").path("chain").path(1).path("file").asText(), snap.out());
        Result info = CliProcess.sh(60, "qemu-img", "info", "-U", "--output=json", overlay.toString());
        assertEquals(0, info.exit(), info.toString());
        assertEquals(base, info.json().path("backing-filename").asText(), info.out());
        String xml = libvirt.virsh("dumpxml", name).out();
        assertTrue(xml.contains("<source file='" + overlay + "'"), "libvirt's live XML names the overlay: " + xml);
        Result text = kvmj("disk", "list", name);
        assertEquals(0, text.exit(), text.toString());
        assertTrue(text.out().contains("active   " + overlay) && text.out().contains("backing  " + base), text.out());

        Result again = kvmj("disk", "snapshot", name, drive, "--file", overlay.toString());
        assertEquals(2, again.exit(), again.toString());
        assertTrue(again.err().contains("already exists"), again.err());
        Path unquiesced = dir.resolve("scratch-snap2.qcow2");
        Result quiesce = kvmj("disk", "snapshot", name, drive, "--file", unquiesced.toString(), "--quiesce");
        assertEquals(1, quiesce.exit(), "the demo guest runs no qemu-ga: " + quiesce);
        assertTrue(quiesce.err().toLowerCase().contains("agent"), quiesce.err());
        assertTrue(!Files.exists(unquiesced), "atomic: no overlay left behind");
        Result none = kvmj("disk", "snapshot", name, "vdz", "--file", unquiesced.toString());
        assertEquals(1, none.exit(), none.toString());
        assertTrue(none.err().contains("has no disk 'vdz'"), none.err());
        Result commit = kvmj("disk", "commit", name, drive, "--json");
        assertEquals(0, commit.exit(), commit.toString());
        JsonNode c = commit.json();
        assertEquals(base, c.path("committedInto").asText(), commit.out());
        assertEquals(base, c.path("drive").path("file").asText(), "pivoted back onto the base: " + commit.out());
        assertEquals(1, c.path("drive").path("chain").size(), commit.out());
        assertEquals("[\"" + overlay + "\"]", c.path("unusedFiles").toString());
        String after = libvirt.virsh("dumpxml", name).out();
        assertTrue(after.contains("<source file='" + base + "'") && !after.contains(overlay.toString()),
                "libvirt's live XML is back on the base: " + after);
        Result alone = kvmj("disk", "commit", name, drive);
        assertEquals(1, alone.exit(), alone.toString());
        assertTrue(alone.err().contains("nothing to commit"), alone.err());
        Result st = kvmj("qmp", name, "query-status");
        assertEquals("running", st.json().path("status").asText(), "the guest keeps running: " + st.out());
    }

    @Test
    @Order(5)
    void theJavaApiGetsEventsAndSnapshotsAndCommitsThroughLibvirt() throws Throwable {
        try (GuestBackend b = GuestBackend.connect(uri)) {
            BackendChecks.eventsOfAPauseAndAResume(b, name, () -> {
                assertEquals(0, libvirt.virsh("suspend", name).exit());
                assertEquals(0, libvirt.virsh("resume", name).exit());
            });
            Path overlay = dir.resolve("scratch-api1.qcow2");
            String drive = BackendChecks.snapshotAndCommit(b, name, demo.disk().toString(), overlay);
            assertTrue(drive.startsWith("vd"), "libvirt's target dev: " + drive);
            String xml = libvirt.virsh("dumpxml", name).out();
            assertTrue(xml.contains("<source file='" + demo.disk() + "'") && !xml.contains(overlay.toString()),
                    "libvirt's live XML is back on the base: " + xml);
            assertEquals("running", b.qmp(name, "query-status", null, Duration.ofSeconds(10)).path("status").asText());
        }
    }

    @Test
    @Order(6)
    void diskBackupCopiesTheRunningScratchDiskThroughLibvirt() throws Exception {
        String base = demo.disk().toString();
        String drive = LibvirtDiskXml.disks(libvirt.virsh("dumpxml", name).out()).stream()
                .filter(d -> base.equals(d.file())).findFirst().orElseThrow().target();
        Path backup = dir.resolve("scratch-backup.qcow2");
        Result b = kvmj("disk", "backup", name, drive, backup.toString(), "--json");
        assertEquals(0, b.exit(), b.toString());
        JsonNode j = b.json();
        assertEquals(backup.toString(), j.path("target").asText(), b.out());
        assertEquals("qcow2", j.path("format").asText(), b.out());
        assertEquals(base, j.at("/drive/file").asText(), "the guest stays on its disk: " + b.out());
        Result info = CliProcess.sh(60, "qemu-img", "info", "-U", "--output=json", backup.toString());
        assertEquals(0, info.exit(), info.toString());
        assertEquals("qcow2", info.json().path("format").asText(), info.out());
        assertEquals(j.path("virtualSize").asLong(), info.json().path("virtual-size").asLong(), info.out());
        assertTrue(info.json().path("backing-filename").isMissingNode(), "a full copy, standalone: " + info.out());
        Result same = CliProcess.sh(60, "qemu-img", "compare", "-U", base, backup.toString());
        assertEquals(0, same.exit(), "the backup holds the disk's content: " + same);

        byte[] kept = Files.readAllBytes(backup);
        Result again = kvmj("disk", "backup", name, drive, backup.toString());
        assertEquals(2, again.exit(), again.toString());
        assertTrue(again.err().contains("already exists"), again.err());
        assertTrue(java.util.Arrays.equals(kept, Files.readAllBytes(backup)), "an existing target is left untouched");
        Path other = dir.resolve("scratch-backup2.qcow2");
        Result speed = kvmj("disk", "backup", name, drive, other.toString(), "--speed", "1M");
        assertEquals(2, speed.exit(), speed.toString());
        assertTrue(speed.err().contains("--speed is not available with --connect"), speed.err());
        Result remote = cli.run(60, "--connect", "qemu+ssh://nobody@192.0.2.1/system", "disk", "backup", name, drive,
                other.toString());
        assertEquals(2, remote.exit(), remote.toString());
        Result none = kvmj("disk", "backup", name, "vdz", other.toString());
        assertEquals(1, none.exit(), none.toString());
        assertTrue(none.err().contains("has no disk 'vdz'"), none.err());
        assertTrue(!Files.exists(other), "no target left behind");

        try (GuestBackend g = GuestBackend.connect(uri)) {
            Path raw = dir.resolve("scratch-backup.raw");
            BackendDisk d = g.diskBackup(name, drive, raw, io.kvmj.core.image.ImageFormat.RAW, Duration.ofSeconds(60));
            assertEquals(base, d.file());
            Result rawInfo = CliProcess.sh(60, "qemu-img", "info", "-U", "--output=json", raw.toString());
            assertEquals("raw", rawInfo.json().path("format").asText(), rawInfo.out());
            Result rawSame = CliProcess.sh(60, "qemu-img", "compare", "-U", base, raw.toString());
            assertEquals(0, rawSame.exit(), "the raw backup holds the disk's content: " + rawSame);
            org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> g.diskBackup(name, drive, raw, io.kvmj.core.image.ImageFormat.RAW, Duration.ofSeconds(60)));
            assertEquals("running", g.qmp(name, "query-status", null, Duration.ofSeconds(10)).path("status").asText());
        }
    }

    @Test
    @Order(7)
    void stopPowersTheGuestOffThroughAcpi() throws Exception {
        awaitLine(consoleLog, "KVMJ-DEMO: waiting for the ACPI power button", BOOT);
        Process events = cli.start("--connect", uri, "events", name);
        try (var lines = new java.io.BufferedReader(new java.io.InputStreamReader(events.getErrorStream(),
                java.nio.charset.StandardCharsets.UTF_8))) {
            String l;
            while ((l = lines.readLine()) != null && !l.contains("streaming QMP events")) {
                // until it has subscribed
            }
        }
        Result stop = kvmj("stop", name, "--timeout", "120", "--json");
        assertEquals(0, stop.exit(), stop.toString());
        Result ev = CliProcess.finish(events, 60, "kvmj events"); // ends by itself once the domain is off
        assertEquals(0, ev.exit(), ev.toString());
        assertTrue(ev.out().contains("\"event\":\"POWERDOWN\""), "libvirt's ACPI shutdown: " + ev.out());
        assertTrue(ev.out().contains("\"event\":\"SHUTDOWN\"") && ev.out().contains("\"reason\":\"guest-shutdown\""),
                "the guest powered itself off: " + ev.out());
        JsonNode r = stop.json();
        assertEquals("POWERED_OFF", r.path("how").asText(), stop.out());
        assertTrue(r.path("graceful").asBoolean(), stop.out());
        assertEquals("[\"SYSTEM_POWERDOWN\"]", r.path("steps").toString());
        assertTrue(Files.readString(consoleLog).contains("KVMJ-DEMO: acpi power button: powering off"));
        Result list = kvmj("list", "--json");
        assertTrue(list.out().contains("\"shutoff\""), "still defined, shut off: " + list.out());
        Result qmp = kvmj("qmp", name, "query-status");
        assertEquals(1, qmp.exit(), qmp.toString());
        assertTrue(qmp.err().contains("not running"), qmp.err());
    }

    @Test
    @Order(8)
    void aRemoteUriIsPassedToLibvirtUnchanged() throws Exception {
        // nothing listens on port 1: libvirt's ssh transport fails, and says so naming the URI kvmj passed
        String remote = "qemu+ssh://nobody@127.0.0.1:1/system?no_tty=1";
        Result r = cli.run(60, "--connect", remote, "list");
        assertEquals(1, r.exit(), r.toString());
        assertTrue(r.err().contains("cannot connect to libvirt at " + remote), r.err());
    }

    @Test
    @Order(9)
    void exportOfARunningLocalGuestIsItsRecordedSpec() throws Exception {
        GuestSpec paused = demo.guestSpec(name).toBuilder().startPaused(true).build(); // no boot: QEMU -S
        Path pausedFile = Files.writeString(dir.resolve("paused.json"), GuestSpecJson.write(paused));
        Result run = cli.run(90, "run", "--spec", pausedFile.toString(), "--detach", "--json");
        assertEquals(0, run.exit(), run.toString());
        long pid = run.json().path("pid").asLong();
        try {
            Result byName = cli.run(60, "export", name, "--format", "libvirt", "--accel", "tcg");
            assertEquals(0, byName.exit(), byName.toString());
            Result bySpec = cli.run(60, "export", "--spec", pausedFile.toString(), "--format", "libvirt", "--accel", "tcg");
            assertEquals(bySpec.out(), byName.out());
            assertTrue(byName.out().contains("<name>" + name + "</name>"), byName.out());
            Result none = cli.run(60, "export", "nope", "--format", "libvirt");
            assertEquals(1, none.exit(), none.toString());
        } finally {
            cli.run(60, "stop", name, "--force");
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    @Test
    @Order(10)
    void consoleGoesThroughLibvirtsConsoleStream() throws Exception {
        Result run = kvmj("run", "--spec", shellSpec.toString(), "--detach", "--json");
        assertEquals(0, run.exit(), run.toString());
        assertEquals("paused", run.json().path("state").asText(), run.out());
        try (CliConsole con = CliConsole.attach(cli, "--connect", uri, "console", shellName)) {
            Result busy = kvmj("console", shellName);
            assertEquals(1, busy.exit(), busy.toString());
            assertTrue(busy.err().contains("console busy"), busy.err());
            assertEquals(0, libvirt.virsh("resume", shellName).exit());
            con.await("KVMJ-MIG: ready", BOOT);
            con.send("echo X$((6*7))Y\n"); // the echoed line is X$((6*7))Y: only the shell's answer matches
            con.await("X42Y", Duration.ofSeconds(120));
            assertEquals(0, con.detach(), "end of input leaves the console; the guest keeps running");
        }
        assertTrue(libvirt.virsh("domstate", shellName).out().contains("running"));
    }

    @Test
    @Order(11)
    void saveStopsTheDomainAndRestoreBringsItBackWhereItWas() throws Exception {
        Path save = dir.resolve("shell.save");
        try (CliConsole watching = CliConsole.attach(cli, "--connect", uri, "console", shellName)) {
            Result s = kvmj("save", shellName, save.toString(), "--json");
            assertEquals(0, s.exit(), s.toString());
            JsonNode j = s.json();
            assertEquals(shellName, j.path("source").asText());
            assertEquals(save.toString(), j.path("file").asText());
            assertEquals(Files.size(save), j.path("fileBytes").asLong());
            assertTrue(Files.size(save) > 1 << 20, "the guest's memory is in the file: " + Files.size(save));
            assertEquals(0, watching.awaitExit(Duration.ofSeconds(60)), "an attached console ends with the domain");
        }
        Result list = kvmj("list", "--json");
        JsonNode entry = null;
        for (JsonNode x : list.json()) {
            if (x.path("name").asText().equals(shellName)) {
                entry = x;
            }
        }
        assertTrue(entry != null && entry.path("state").asText().equals("shutoff"), "no longer running: " + list.out());

        Result notRunning = kvmj("save", shellName, dir.resolve("other.save").toString());
        assertEquals(2, notRunning.exit(), notRunning.toString());
        assertTrue(notRunning.err().contains("no running guest named '" + shellName + "'"), notRunning.err());
        Result notImage = kvmj("restore", shellSpec.toString());
        assertEquals(2, notImage.exit(), notImage.toString());
        assertTrue(notImage.err().contains("is not a libvirt save image"), notImage.err());

        Result r = kvmj("restore", save.toString(), "--json");
        assertEquals(0, r.exit(), r.toString());
        assertEquals(shellName, r.json().path("name").asText());
        assertEquals("running", r.json().path("state").asText(), r.out());
        Result st = kvmj("qmp", shellName, "query-status");
        assertEquals("running", st.json().path("status").asText(), st.out());
        Result twice = kvmj("restore", save.toString());
        assertEquals(2, twice.exit(), twice.toString());
        assertTrue(twice.err().contains("already running"), twice.err());
        try (CliConsole con = CliConsole.attach(cli, "--connect", uri, "console", shellName)) {
            int n = MigrationTestGuest.nonce();
            con.send(MigrationTestGuest.probeCommand(n));
            var m = con.await(MigrationTestGuest.PROBE_REPLY.formatted(n), Duration.ofSeconds(120));
            assertEquals(shell.marker, m.group(1), "the tmpfs of before the save: restored, not rebooted");
            assertEquals(0, con.detach());
        }
    }

    @Test
    @Order(12)
    void theJavaApiDrivesConsoleSaveAndRestoreThroughLibvirt() throws Exception {
        try (GuestBackend b = GuestBackend.connect(uri)) {
            BackendChecks.consoleSaveAndRestore(b, shellName, shell.marker, dir.resolve("shell-api.save"));
        }
        assertTrue(libvirt.virsh("domstate", shellName).out().contains("running"));
    }

    @Test
    @Order(13)
    void diskAttachResizeAndDetachGoThroughLibvirt() throws Exception {
        String marker = "KVMJ-CLI-" + System.nanoTime();
        Path raw = GuestDisks.marked(dir.resolve("hp-cli.raw"), DiskFormat.RAW, marker);
        try (CliConsole con = CliConsole.attach(cli, "--connect", uri, "console", shellName)) {
            GuestDisks.Shell sh = GuestDisks.over(con);
            Result at = kvmj("disk", "attach", shellName, "path=" + raw + ",format=raw,cache=none,serial=KVMJ-CLI",
                    "--json");
            assertEquals(0, at.exit(), at.toString());
            JsonNode a = at.json().path("drive");
            String drive = a.path("drive").asText();
            assertTrue(drive.matches("vd[a-z]"), "the first free target dev: " + at.out());
            assertEquals(raw.toString(), a.path("file").asText(), at.out());
            assertEquals("none", a.at("/cache/mode").asText(), at.out());
            assertEquals("virtio", at.json().path("bus").asText(), at.out());
            assertEquals(8L << 20, a.path("virtualSize").asLong(), at.out());
            assertTrue(libvirt.virsh("dumpxml", shellName).out().contains("<source file='" + raw + "'"),
                    "libvirt's live XML has it");
            GuestDisks.Seen seen = GuestDisks.find(sh, marker);
            assertEquals(8L * 1024 * 1024 / 512, seen.sectors(), seen.toString());
            assertEquals("KVMJ-CLI", seen.serial(), seen.toString());

            Result shrink = kvmj("disk", "resize", shellName, drive, "4M");
            assertEquals(2, shrink.exit(), shrink.toString());
            assertTrue(shrink.err().contains("refusing to shrink"), shrink.err());
            Result grow = kvmj("disk", "resize", shellName, drive, "+8M", "--json");
            assertEquals(0, grow.exit(), grow.toString());
            assertEquals(8L << 20, grow.json().path("oldSize").asLong(), grow.out());
            assertEquals(16L << 20, grow.json().path("newSize").asLong(), grow.out());
            assertEquals(32768, GuestDisks.sectors(sh, seen.dev(), 32768), "the guest sees it grown");
            Result info = CliProcess.sh(60, "qemu-img", "info", "-U", "--output=json", raw.toString());
            assertEquals(16L << 20, info.json().path("virtual-size").asLong(), info.out());

            Result dt = kvmj("disk", "detach", shellName, drive, "--json");
            assertEquals(0, dt.exit(), dt.toString());
            assertEquals(raw.toString(), dt.json().path("file").asText(), dt.out());
            assertTrue(GuestDisks.gone(sh, seen.dev()), "the guest released " + seen.dev());
            Result list = kvmj("disk", "list", shellName, "--json");
            assertEquals(0, list.exit(), list.toString());
            assertTrue(!list.out().contains(raw.toString()), "gone from disk list: " + list.out());
            Result again = kvmj("disk", "detach", shellName, drive);
            assertEquals(1, again.exit(), again.toString());
            assertTrue(again.err().contains("has no disk '" + drive + "'"), again.err());
            assertEquals(0, con.detach());
        }
        // a paused guest cannot release a disk: reported (exit 1), the removal stays pending until it runs again
        assertEquals(0, libvirt.virsh("suspend", shellName).exit());
        Result at = kvmj("disk", "attach", shellName, raw.toString(), "--json");
        assertEquals(0, at.exit(), at.toString());
        String drive = at.json().at("/drive/drive").asText();
        Result held = kvmj("disk", "--timeout", "1", "detach", shellName, drive);
        assertEquals(1, held.exit(), held.toString());
        assertTrue(held.err().contains("did not release disk '" + drive + "' within 1 s"), held.err());
        assertEquals(0, libvirt.virsh("resume", shellName).exit());
        long end = System.nanoTime() + BOOT.toNanos();
        while (libvirt.virsh("dumpxml", shellName).out().contains(raw.toString())) {
            assertTrue(System.nanoTime() < end, "the pending removal completes once the guest runs");
            Thread.sleep(200);
        }
    }

    @Test
    @Order(14)
    void theJavaApiAttachesResizesAndDetachesThroughLibvirt() throws Exception {
        try (GuestBackend b = GuestBackend.connect(uri)) {
            Path qcow2 = dir.resolve("hp-api.qcow2");
            String drive = BackendChecks.attachResizeDetach(b, shellName, qcow2);
            assertTrue(drive.matches("vd[a-z]"), "libvirt's target dev: " + drive);
            assertTrue(!libvirt.virsh("dumpxml", shellName).out().contains(qcow2.toString()), "gone from libvirt's XML");
        }
    }

    private static void awaitLine(Path file, String line, Duration timeout) throws Exception {
        long end = System.nanoTime() + timeout.toNanos();
        while (!(Files.exists(file) && Files.readString(file).contains(line))) {
            if (System.nanoTime() > end) {
                throw new AssertionError("no '" + line + "' in " + file + " within " + timeout + ":\n"
                        + (Files.exists(file) ? Files.readString(file) : "(no file)"));
            }
            Thread.sleep(200);
        }
    }
}
