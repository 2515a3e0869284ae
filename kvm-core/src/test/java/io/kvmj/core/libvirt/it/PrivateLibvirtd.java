package io.kvmj.core.libvirt.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A libvirtd of the test's own ({@code scripts/private-libvirtd}: private config, state and run dirs, QEMU as root),
 * driven with {@code virsh -c qemu:///system?socket=...}; {@link #close()} stops it and its QEMUs by pid.
 */
final class PrivateLibvirtd implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Path script;
    final Path dir;

    private PrivateLibvirtd(Path script, Path dir) {
        this.script = script;
        this.dir = dir;
    }

    static PrivateLibvirtd start(Path dir) throws Exception {
        Path script = findScript();
        run(List.of(script.toString(), "start", dir.toString()), 30);
        return new PrivateLibvirtd(script, dir);
    }

    private static Path findScript() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null) {
            Path s = p.resolve("scripts/private-libvirtd");
            if (Files.isExecutable(s)) {
                return s;
            }
            p = p.getParent();
        }
        throw new IllegalStateException("scripts/private-libvirtd not found above " + Path.of("").toAbsolutePath());
    }

    String uri() { return "qemu:///system?socket=" + dir.resolve("run/libvirt-sock"); }

    /** {@code virsh ARGS}; its stdout, or an exception with its output when it fails. */
    String virsh(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("virsh", "-c", uri()));
        cmd.addAll(List.of(args));
        return run(cmd, 60);
    }

    /** A QMP command through {@code virsh qemu-monitor-command}; the "return" value. */
    JsonNode qmp(String domain, String command, String argsJson) throws Exception {
        String req = "{\"execute\":\"" + command + "\"" + (argsJson == null ? "" : ",\"arguments\":" + argsJson) + "}";
        return JSON.readTree(virsh("qemu-monitor-command", domain, req)).get("return");
    }

    /** The argv of the domain's QEMU, read from /proc. */
    List<String> qemuArgv(String domain) throws IOException {
        String pid = Files.readString(dir.resolve("run/qemu/" + domain + ".pid")).trim();
        String raw = new String(Files.readAllBytes(Path.of("/proc", pid, "cmdline")), StandardCharsets.UTF_8);
        return List.of(raw.split("\0"));
    }

    static String run(List<String> cmd, int timeoutSeconds) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("timed out: " + cmd);
        }
        String s = new String(out, StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            throw new IllegalStateException(cmd + " exited " + p.exitValue() + ": " + s);
        }
        return s;
    }

    @Override
    public void close() throws Exception {
        run(List.of(script.toString(), "stop", dir.toString()), 30);
    }
}
