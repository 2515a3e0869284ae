package io.kvmj.launcher.backend;

import io.kvmj.launcher.cli.CliProcess;
import io.kvmj.launcher.process.Executables;
import io.kvmj.launcher.testutil.Requirements;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A libvirtd of the test's own through {@code scripts/private-libvirtd} (private config with QEMU as root, private
 * state and run dirs; the system's files are not touched); {@link #close()} stops it, its QEMUs and virtlogd by pid.
 */
final class PrivateLibvirtd implements AutoCloseable {
    private final Path script;
    private final Path dir;

    private PrivateLibvirtd(Path script, Path dir) {
        this.script = script;
        this.dir = dir;
    }

    /** Starts one; aborts (fails under CI) when libvirtd, virtlogd or virsh are not installed or we are not root. */
    static PrivateLibvirtd start(Path dir) throws Exception {
        for (String tool : new String[] {"libvirtd", "virtlogd", "virsh", "unshare"}) {
            if (Executables.find(tool).isEmpty() && !Files.isExecutable(Path.of("/usr/sbin", tool))) {
                Requirements.missing(tool + " not installed (scripts/bootstrap --tests installs libvirt)");
            }
        }
        if (!"root".equals(System.getProperty("user.name"))) {
            Requirements.missing("a private libvirtd needs root (bind mounts in a mount namespace)");
        }
        Path script = findScript();
        CliProcess.Result r = CliProcess.sh(60, script.toString(), "start", dir.toString());
        if (r.exit() != 0) {
            throw new IllegalStateException("private-libvirtd start: " + r);
        }
        return new PrivateLibvirtd(script, dir);
    }

    private static Path findScript() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path s = p.resolve("scripts/private-libvirtd");
            if (Files.isExecutable(s)) {
                return s;
            }
        }
        throw new IllegalStateException("scripts/private-libvirtd not found above " + Path.of("").toAbsolutePath());
    }

    /** The URI kvmj and virsh reach it with. */
    String uri() {
        return "qemu:///system?socket=" + dir.resolve("run/libvirt-sock");
    }

    /** {@code virsh -c URI ARGS}. */
    CliProcess.Result virsh(String... args) throws Exception {
        String[] cmd = new String[args.length + 3];
        cmd[0] = "virsh";
        cmd[1] = "-c";
        cmd[2] = uri();
        System.arraycopy(args, 0, cmd, 3, args.length);
        return CliProcess.sh(60, cmd);
    }

    @Override
    public void close() throws Exception {
        CliProcess.sh(60, script.toString(), "stop", dir.toString());
    }
}
