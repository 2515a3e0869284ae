package io.kvmj.bench.peers;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A libvirtd of the benchmark's own ({@code scripts/private-libvirtd}: private config, state and run dirs,
 * QEMU as root, bind-mounted in a private mount namespace; the system's libvirt is never touched), and the
 * paused TCG domain the peers measure. {@link #close()} stops its QEMUs, libvirtd and virtlogd by pid.
 *
 * <pre>
 * try (PrivateLibvirt lv = PrivateLibvirt.start(dir)) {
 *     new org.libvirt.Connect(lv.uri()).domainCreateXML(PrivateLibvirt.domainXml("d", null), 1);
 * }
 * </pre>
 */
public final class PrivateLibvirt implements AutoCloseable {

    /** {@code VIR_DOMAIN_START_PAUSED}. */
    public static final int START_PAUSED = 1;

    private final Path script;
    private final Path dir;
    /** Stops the daemons should the benchmark JVM be stopped (Ctrl-C, SIGTERM) before {@link #close}. */
    private final Thread onExit;

    private PrivateLibvirt(Path script, Path dir) {
        this.script = script;
        this.dir = dir;
        this.onExit = new Thread(() -> {
            try {
                script("stop");
            } catch (IOException e) {
                System.err.println("private libvirtd in " + dir + " not stopped: " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "private-libvirtd-stop");
    }

    /**
     * Why the private libvirtd cannot run here (not root, libvirtd or the script missing), or null when it can.
     */
    public static String unavailable() {
        if (!"root".equals(System.getProperty("user.name"))) {
            return "the private libvirtd needs root (it bind-mounts its own config in a private mount namespace)";
        }
        for (String tool : List.of("libvirtd", "virtlogd")) {
            if (!onPath(tool)) {
                return tool + " is not installed (apt-get install libvirt-daemon-system libvirt-daemon-driver-qemu)";
            }
        }
        if (findScript() == null) {
            return "scripts/private-libvirtd not found above " + Path.of("").toAbsolutePath();
        }
        return null;
    }

    /** Starts the daemon with its state under {@code dir}; returns once its socket exists. */
    public static PrivateLibvirt start(Path dir) throws IOException, InterruptedException {
        Path script = findScript();
        if (script == null) {
            throw new IOException("scripts/private-libvirtd not found");
        }
        Files.createDirectories(dir);
        PrivateLibvirt lv = new PrivateLibvirt(script, dir.toAbsolutePath());
        Runtime.getRuntime().addShutdownHook(lv.onExit);
        lv.script("start");
        return lv;
    }

    /** The daemon's state directory. */
    public Path dir() {
        return dir;
    }

    /** The connection URI of this daemon. */
    public String uri() {
        return "qemu:///system?socket=" + dir.resolve("run/libvirt-sock");
    }

    /**
     * A paused-capable TCG domain: 64 MiB, one vCPU, the {@code pc} machine, no disks or NICs; with
     * {@code extraQmp} an extra QMP server socket ({@code qemu:commandline}) for a direct client beside libvirt.
     */
    public static String domainXml(String name, Path extraQmp) {
        StringBuilder x = new StringBuilder()
                .append("<domain type='qemu' xmlns:qemu='http://libvirt.org/schemas/domain/qemu/1.0'>\n")
                .append("  <name>").append(name).append("</name>\n")
                .append("  <memory unit='MiB'>64</memory>\n  <vcpu>1</vcpu>\n")
                .append("  <os><type arch='x86_64' machine='pc'>hvm</type></os>\n")
                .append("  <devices><emulator>/usr/bin/qemu-system-x86_64</emulator>")
                .append("<memballoon model='none'/></devices>\n");
        if (extraQmp != null) {
            x.append("  <qemu:commandline><qemu:arg value='-qmp'/><qemu:arg value='unix:").append(extraQmp)
                    .append(",server=on,wait=off'/></qemu:commandline>\n");
        }
        return x.append("</domain>\n").toString();
    }

    @Override
    public void close() throws IOException, InterruptedException {
        try {
            Runtime.getRuntime().removeShutdownHook(onExit);
        } catch (IllegalStateException e) {
            return; // the JVM is shutting down: the hook stops the daemons
        }
        script("stop");
    }

    private void script(String cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(script.toString(), cmd, dir.toString()).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IOException("private-libvirtd " + cmd + " failed: " + new String(out, StandardCharsets.UTF_8));
        }
    }

    private static Path findScript() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path s = p.resolve("scripts/private-libvirtd");
            if (Files.isExecutable(s)) {
                return s;
            }
        }
        return null;
    }

    static boolean onPath(String tool) {
        for (String d : System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin").split(":")) {
            if (Files.isExecutable(Path.of(d, tool))) {
                return true;
            }
        }
        return Files.isExecutable(Path.of("/usr/sbin", tool));
    }
}
