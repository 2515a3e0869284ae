package io.kvmj.qga;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Test helper: the real {@code qemu-ga} on the build host, listening on a Unix socket in a temp dir
 * ({@code --method=unix-listen}, state dir and pid file there too). It runs as the test user (root here), so it is
 * started with every RPC blocked except the read-only ones and exec/file I/O the tests use: no shutdown, suspend,
 * freeze, set-time, set-password, vcpu/memory or ssh-key change can reach the host. The block list is computed
 * from the agent's own list ({@code -b help}), so RPCs added by newer agents are blocked too; where the agent
 * has {@code --allow-rpcs} that is used instead.
 */
final class QgaAgentProcess implements AutoCloseable {
    static final String BINARY = "qemu-ga";
    /** The only RPCs the host agent may run. */
    static final Set<String> ALLOWED = Set.of("guest-sync-delimited", "guest-sync", "guest-ping", "guest-info",
            "guest-get-osinfo", "guest-get-host-name", "guest-exec", "guest-exec-status", "guest-file-open",
            "guest-file-close", "guest-file-read", "guest-file-write", "guest-fsfreeze-status",
            "guest-network-get-interfaces");

    final Path dir;
    final Path socket;
    private final List<String> argv;
    private Process process;

    private QgaAgentProcess(Path dir, List<String> argv) {
        this.dir = dir;
        this.socket = dir.resolve("qga.sock");
        this.argv = argv;
    }

    /** Starts the agent in {@code dir} and waits until its socket exists. */
    static QgaAgentProcess start(Path dir) throws IOException, InterruptedException {
        String bin = binary();
        String help = run(bin, "--help");
        List<String> argv = new ArrayList<>(List.of(bin, "--method=unix-listen", "--path=" + dir.resolve("qga.sock"),
                "--pidfile=" + dir.resolve("qga.pid"), "--statedir=" + dir));
        if (help.contains("--allow-rpcs")) {
            argv.add("--allow-rpcs=" + String.join(",", ALLOWED));
        } else {
            Set<String> blocked = new LinkedHashSet<>();
            for (String line : run(bin, "-b", "help").split("\n")) {
                String rpc = line.trim();
                if (rpc.startsWith("guest-") && !ALLOWED.contains(rpc)) {
                    blocked.add(rpc);
                }
            }
            if (!blocked.contains("guest-shutdown") || !blocked.contains("guest-fsfreeze-freeze")) {
                fail("cannot build the qemu-ga block list from '" + bin + " -b help': " + blocked);
            }
            argv.add((help.contains("--block-rpcs") ? "--block-rpcs=" : "--blacklist=") + String.join(",", blocked));
        }
        QgaAgentProcess a = new QgaAgentProcess(dir, List.copyOf(argv));
        a.startProcess();
        return a;
    }

    static String binary() {
        for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(d, BINARY))) {
                return Path.of(d, BINARY).toString();
            }
        }
        for (String d : List.of("/usr/sbin", "/usr/bin", "/usr/local/bin")) {
            if (Files.isExecutable(Path.of(d, BINARY))) {
                return Path.of(d, BINARY).toString();
            }
        }
        return fail(BINARY + " not found: install the qemu-guest-agent package (scripts/bootstrap --tests)");
    }

    /** The agent's version as printed by {@code qemu-ga --version}. */
    static String version() throws IOException, InterruptedException {
        String out = run(binary(), "--version").trim();
        String[] words = out.split("\\s+");
        for (String w : words) {
            if (w.matches("\\d+\\.\\d+\\.\\d+.*")) {
                return w;
            }
        }
        return fail("no version in: " + out);
    }

    private void startProcess() throws IOException, InterruptedException {
        Files.deleteIfExists(socket);
        process = new ProcessBuilder(argv).directory(dir.toFile()).redirectInput(ProcessBuilder.Redirect.from(
                new File("/dev/null"))).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(
                dir.resolve("qga.log").toFile())).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!Files.exists(socket)) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                fail("qemu-ga did not create its socket: " + diagnostics());
            }
            Thread.sleep(20);
        }
    }

    long pid() {
        return process.pid();
    }

    boolean alive() {
        return process != null && process.isAlive();
    }

    /** Stops the agent (SIGTERM, then SIGKILL after 10 s) and waits for it. The socket file stays behind. */
    void stop() throws InterruptedException {
        if (process == null) {
            return;
        }
        resume();
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** Stops and starts the agent on the same socket path. */
    void restart() throws IOException, InterruptedException {
        stop();
        startProcess();
    }

    /** SIGSTOP: the agent keeps its socket but answers nothing (a hung agent). */
    void suspend() throws IOException, InterruptedException {
        signal("-STOP");
    }

    /** SIGCONT. */
    void resume() throws InterruptedException {
        if (process != null && process.isAlive()) {
            try {
                signal("-CONT");
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private void signal(String sig) throws IOException, InterruptedException {
        Process k = new ProcessBuilder("kill", sig, Long.toString(process.pid())).inheritIO().start();
        if (k.waitFor() != 0) {
            fail("kill " + sig + " " + process.pid() + " failed");
        }
    }

    String diagnostics() {
        String log;
        try {
            log = Files.readString(dir.resolve("qga.log"));
        } catch (IOException e) {
            log = "<" + e + ">";
        }
        return "argv=" + argv + " alive=" + alive() + " log=" + log;
    }

    static String run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        p.waitFor(30, TimeUnit.SECONDS);
        return new String(out, StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }
}
