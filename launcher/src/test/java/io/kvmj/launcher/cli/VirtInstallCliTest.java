package io.kvmj.launcher.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.kvmj.core.image.ImageInfo;
import io.kvmj.core.image.QemuImg;
import io.kvmj.launcher.cli.InProcessCli.Run;
import io.kvmj.launcher.testutil.RuntimeDirProperty;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * What users of virsh/virt-install expect of {@code kvmj} (issue 14): a VNC password off loopback, {@code --cpu},
 * {@code --disk ...,size=}, {@code img measure|rebase|commit}, {@code img resize -SIZE}, completion of guest names.
 * The real CLI code in this JVM ({@link Main#execute}) with real qemu-img and QEMU ({@code --dry-run} only).
 */
class VirtInstallCliTest {
    private static final String SECRET = "Vnc-Pw-9d41";

    @TempDir
    Path tmp;

    @RegisterExtension
    final RuntimeDirProperty runtime = RuntimeDirProperty.at(() -> tmp.resolve("rt"));

    private static Run kvmj(String... args) {
        return InProcessCli.run(args);
    }

    private static void assertUsage(Run r, String... expected) {
        assertEquals(2, r.exit(), r.toString());
        assertTrue(r.errLines() <= 2, "a usage error is one or two lines: " + r);
        for (String e : expected) {
            assertTrue(r.err().contains(e), "'" + e + "' in: " + r);
        }
    }

    @Test
    void vncOffLoopbackNeedsAPassword() throws Exception {
        assertUsage(kvmj("run", "--name", "v", "--accel", "tcg", "--dry-run", "--graphics", "vnc,listen=0.0.0.0"),
                "listen=0.0.0.0", "password=");
        Run json = kvmj("run", "--name", "v", "--accel", "tcg", "--dry-run", "--json", "--graphics", "vnc,listen=0.0.0.0");
        assertEquals(2, json.exit(), json.toString());
        assertEquals("usage", Json.MAPPER.readTree(json.out()).path("error").path("kind").asText(), json.toString());
        assertUsage(kvmj("run", "--name", "v", "--dry-run", "--graphics", "vnc,listen=0.0.0.0,password="), "empty");
        Path pw = Files.writeString(tmp.resolve("vnc.pw"), SECRET);
        assertUsage(kvmj("run", "--name", "v", "--dry-run", "--graphics",
                "vnc,listen=0.0.0.0,password=" + SECRET + ",password-file=" + pw), "not both");

        // password=: QEMU reads it from a file in the runtime directory; the text is in no output
        Run ok = kvmj("run", "--name", "v", "--accel", "tcg", "--dry-run", "--graphics",
                "vnc,listen=0.0.0.0,port=5977,password=" + SECRET);
        assertEquals(0, ok.exit(), ok.toString());
        assertTrue(ok.out().contains("-vnc 0.0.0.0:77,password-secret=vnc-secret"), ok.out());
        assertTrue(ok.out().contains("secret,id=vnc-secret,file=" + tmp.resolve("rt").resolve("v").resolve("vnc.secret")),
                ok.out());
        assertFalse((ok.out() + ok.err()).contains(SECRET), ok.toString());
        Run okJson = kvmj("run", "--name", "v", "--accel", "tcg", "--dry-run", "--json", "--graphics",
                "vnc,listen=0.0.0.0,port=5977,password=" + SECRET);
        assertEquals(0, okJson.exit(), okJson.toString());
        assertFalse(okJson.out().contains(SECRET), okJson.out());
        assertFalse(Files.exists(tmp.resolve("rt").resolve("v")), "a dry run writes nothing");

        // a password file (virt-install has no such key; kvmj's password-file=, also passwordfile=)
        Run file = kvmj("run", "--name", "v", "--accel", "tcg", "--dry-run", "--graphics",
                "vnc,listen=0.0.0.0,port=5977,passwordfile=" + pw);
        assertEquals(0, file.exit(), file.toString());
        assertTrue(file.out().contains("secret,id=vnc-secret,file=" + pw), file.out());

        // a spec file never holds password=; a spec that listens off loopback without a password file is refused
        Path spec = tmp.resolve("vm.json");
        Files.writeString(spec, okJson.out());
        assertUsage(kvmj("run", "--spec", spec.toString(), "--dry-run"), "password");
    }

    @Test
    void cpuModels() {
        Run max = kvmj("run", "--name", "c", "--accel", "tcg", "--dry-run", "--cpu", "max");
        assertEquals(0, max.exit(), max.toString());
        assertTrue(max.out().contains("-cpu max"), max.out());
        Run named = kvmj("run", "--name", "c", "--accel", "tcg", "--dry-run", "--cpu", "Skylake-Client");
        assertEquals(0, named.exit(), named.toString());
        assertTrue(named.out().contains("-cpu Skylake-Client"), named.out());
        for (String host : List.of("host-passthrough", "host", "host-model")) {
            assertUsage(kvmj("run", "--name", "c", "--accel", "tcg", "--dry-run", "--cpu", host), "--cpu host", "KVM",
                    "max");
        }
        assertUsage(kvmj("run", "--name", "c", "--dry-run", "--cpu", "Skylake-Client,+vmx"), "--cpu", "feature");
        assertUsage(kvmj("run", "--name", "c", "--dry-run", "--cpu", "bad model"), "--cpu");
    }

    @Test
    void diskSizeCreatesAMissingImageAtLaunchNotOnDryRun() throws Exception {
        Path q = tmp.resolve("new.qcow2");
        Run dry = kvmj("run", "--name", "d", "--accel", "tcg", "--dry-run", "--disk", q + ",size=0.0625");
        assertEquals(0, dry.exit(), dry.toString());
        assertTrue(dry.out().contains("driver=qcow2"), dry.out());
        assertFalse(Files.exists(q), "virt-install --dry-run creates no storage either");
        Path r = tmp.resolve("new.raw");
        Run raw = kvmj("run", "--name", "d", "--accel", "tcg", "--dry-run", "--disk", "path=" + r + ",size=64M");
        assertEquals(0, raw.exit(), raw.toString());
        assertTrue(raw.out().contains("driver=raw"), raw.out());
        assertUsage(kvmj("run", "--name", "d", "--dry-run", "--disk", q.toString()), "no such file", "size=");
        assertUsage(kvmj("run", "--name", "d", "--dry-run", "--disk", q + ",size=0"), "size=0");
        assertUsage(kvmj("run", "--name", "d", "--dry-run", "--disk", q + ",size=ten"), "size=ten");
        assertUsage(kvmj("run", "--name", "d", "--dry-run", "--disk", q + ",size=1,format=vmdk"), "raw or qcow2");
        assertUsage(kvmj("run", "--name", "d", "--dry-run", "--disk", tmp.resolve("no/dir.qcow2") + ",size=1"),
                "does not exist");

        // NewDisk is what a launch runs: created atomically with the size virt-install means (GiB)
        NewDisk nd = GuestOptionParsers.newDisk(q + ",size=0.0625").orElseThrow();
        nd.create(Main.commandLine().getSubcommands().get("run").getCommandSpec(), new QemuImg());
        ImageInfo info = new QemuImg().info(q);
        assertEquals("qcow2", info.format());
        assertEquals(64L << 20, info.virtualSize());
        assertFalse(GuestOptionParsers.newDisk(q + ",size=5").isPresent(), "an existing file is used as it is");
        try (var files = Files.list(tmp)) {
            assertTrue(files.noneMatch(f -> f.getFileName().toString().endsWith(".part")), "no temporary left");
        }
    }

    @Test
    void imgMeasure() throws Exception {
        Run size = kvmj("img", "measure", "--size", "1G", "-O", "qcow2", "--json");
        assertEquals(0, size.exit(), size.toString());
        JsonNode m = Json.MAPPER.readTree(size.out());
        assertTrue(m.path("required").asLong() > 0 && m.path("fully-allocated").asLong() > 1L << 30, size.out());
        Path raw = tmp.resolve("m.raw");
        assertEquals(0, kvmj("img", "create", raw.toString(), "8M", "-f", "raw").exit());
        Run file = kvmj("img", "measure", raw.toString(), "-O", "raw");
        assertEquals(0, file.exit(), file.toString());
        assertTrue(file.out().contains("fully allocated: 8 MiB (8388608 bytes)"), file.out());
        assertUsage(kvmj("img", "measure", "-O", "raw"), "FILE or --size");
        assertUsage(kvmj("img", "measure", raw.toString(), "--size", "1G", "-O", "raw"), "FILE or --size");
    }

    @Test
    void imgCommitAndRebase() throws Exception {
        Path base = tmp.resolve("base.qcow2");
        Path top = tmp.resolve("top.qcow2");
        assertEquals(0, kvmj("img", "create", base.toString(), "4M").exit());
        assertEquals(0, kvmj("img", "overlay", base.toString(), top.toString()).exit());
        qemuIo(top, "write -P 0xab 0 64k");

        Run commit = kvmj("img", "commit", top.toString(), "--keep");
        assertEquals(0, commit.exit(), commit.toString());
        assertTrue(commit.out().contains("committed " + top + " into"), commit.out());
        qemuIo(base, "read -P 0xab 0 64k"); // the base holds the overlay's data now
        assertUsage(kvmj("img", "commit", base.toString()), "no backing file");

        qemuIo(top, "write -P 0xcd 64k 64k");
        Run rebase = kvmj("img", "rebase", top.toString(), "--no-backing", "--json");
        assertEquals(0, rebase.exit(), rebase.toString());
        JsonNode backing = Json.MAPPER.readTree(rebase.out()).path("backing-filename");
        assertTrue(backing.isMissingNode() || backing.isNull(), rebase.out());
        Files.delete(base);
        qemuIo(top, "read -P 0xab 0 64k"); // copied in from the former base
        qemuIo(top, "read -P 0xcd 64k 64k");

        Path base2 = tmp.resolve("base2.qcow2");
        assertEquals(0, kvmj("img", "create", base2.toString(), "4M").exit());
        Run onto = kvmj("img", "rebase", top.toString(), "-b", "base2.qcow2");
        assertEquals(0, onto.exit(), onto.toString());
        assertTrue(onto.out().contains("backing file base2.qcow2 (qcow2)"), onto.out());
        qemuIo(top, "read -P 0xcd 64k 64k");
        assertUsage(kvmj("img", "rebase", top.toString()), "-b=BACKING | --no-backing");
        assertUsage(kvmj("img", "rebase", top.toString(), "-b", "gone.qcow2"), "no such backing file");
    }

    @Test
    void imgResizeTakesANegativeChangeAndStillNeedsShrink() throws Exception {
        Path f = tmp.resolve("r.raw");
        assertEquals(0, kvmj("img", "create", f.toString(), "64M", "-f", "raw").exit());
        Run grow = kvmj("img", "resize", f.toString(), "+16M");
        assertEquals(0, grow.exit(), grow.toString());
        assertUsage(kvmj("img", "resize", f.toString(), "-16M"), "--shrink");
        assertEquals(80L << 20, new QemuImg().info(f).virtualSize(), "refused: unchanged");
        Run shrink = kvmj("img", "resize", f.toString(), "-16M", "--shrink");
        assertEquals(0, shrink.exit(), shrink.toString());
        assertEquals(64L << 20, new QemuImg().info(f).virtualSize());
        Run dashes = kvmj("img", "resize", "--shrink", f.toString(), "--", "-32M");
        assertEquals(0, dashes.exit(), dashes.toString());
        assertEquals(32L << 20, new QemuImg().info(f).virtualSize());
        assertUsage(kvmj("img", "resize", f.toString(), "-1G", "--shrink"), "zero or less");
        assertUsage(kvmj("img", "resize", f.toString(), "-x"), "not a size");
    }

    @Test
    void completionOffersTheRunningGuestsForNameArguments() throws Exception {
        Run script = kvmj("generate-completion");
        assertEquals(0, script.exit(), script.toString());
        Path file = Files.writeString(tmp.resolve("kvmj-completion.bash"), script.out());
        // a stand-in 'kvmj list --name' (the real one needs running guests), then bash completes as a user types
        String names = complete(file, "kvmj stop ");
        assertEquals("vm-a vm-b", names);
        assertEquals("vm-b", complete(file, "kvmj console vm-b"));
        assertEquals("vm-a vm-b", complete(file, "kvmj disk snapshot "));
        assertEquals("vm-a vm-b", complete(file, "kvmj snapshot create "));
        assertEquals("", complete(file, "kvmj snapshot create vm-a "), "only at the NAME position");
        assertEquals("--force", complete(file, "kvmj stop --fo"));
        Run list = kvmj("list", "--name");
        assertEquals(0, list.exit(), list.toString());
        assertEquals("", list.out(), "no guests: no names");
    }

    private String complete(Path script, String line) throws Exception {
        String words = line.endsWith(" ") ? line + "''" : line;
        String bash = "kvmj() { [ \"$1 $2\" = 'list --name' ] && printf 'vm-a\\nvm-b\\n'; }\n"
                + "source " + script + "\n"
                + "COMP_LINE=\"" + line + "\"; COMP_WORDS=(" + words + "); COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))\n"
                + "_complete_kvmj kvmj\n"
                + "echo \"${COMPREPLY[*]}\"\n";
        // stderr: bash's "compopt: not currently executing completion function" outside a real completion
        Process p = new ProcessBuilder("bash", "-c", bash).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        return out;
    }

    private static void qemuIo(Path image, String cmd) throws Exception {
        Process p = new ProcessBuilder("qemu-io", "-c", cmd, image.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        assertFalse(out.contains("Pattern verification failed") || out.contains("failed"), cmd + ": " + out);
    }
}
