package io.kvmj.qga;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.kvmj.qga.model.FsFreezeStatus;
import io.kvmj.qga.model.GuestAgentCommandInfo;
import io.kvmj.qga.model.GuestAgentInfo;
import io.kvmj.qga.model.GuestExecRequest;
import io.kvmj.qga.model.GuestExecResult;
import io.kvmj.qga.model.GuestIpAddress;
import io.kvmj.qga.model.GuestNetworkInterface;
import io.kvmj.qga.model.GuestOsInfo;
import io.kvmj.qga.model.GuestShutdownMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client against the real {@code qemu-ga} running on the build host (unix-listen, everything that could
 * change the host blocked, see {@link QgaAgentProcess}). What the agent reports is checked against the host.
 */
@Timeout(120)
class QgaAgentIT {
    private static final Duration T = Duration.ofSeconds(30);

    @TempDir
    static Path dir;
    static QgaAgentProcess agent;
    QgaClient qga;

    @BeforeAll
    static void startAgent() throws Exception {
        agent = QgaAgentProcess.start(dir);
        // Safety first: nothing outside the allow list may be enabled on this host agent.
        try (QgaClient c = QgaClient.open(agent.socket)) {
            for (GuestAgentCommandInfo cmd : c.info().supportedCommands()) {
                if (cmd.enabled() && !QgaAgentProcess.ALLOWED.contains(cmd.name())) {
                    agent.stop();
                    fail("host qemu-ga has " + cmd.name() + " enabled; refusing to run: " + agent.diagnostics());
                }
            }
        }
    }

    @AfterAll
    static void stopAgent() throws Exception {
        if (agent != null) {
            agent.close();
        }
    }

    @BeforeEach
    void connect() {
        qga = QgaClient.open(agent.socket);
    }

    @AfterEach
    void disconnect() {
        qga.close();
    }

    @Test
    void pingAndInfoMatchTheAgentBinary() throws Exception {
        qga.ping();
        GuestAgentInfo info = qga.info();
        assertEquals(QgaAgentProcess.version(), info.version());
        assertTrue(info.enabled("guest-exec"));
        assertFalse(info.enabled("guest-shutdown"));
        assertFalse(info.command("guest-shutdown").orElseThrow().successResponse());
        assertTrue(info.command("guest-ping").orElseThrow().successResponse());
        assertTrue(info.supportedCommands().size() > 20);
    }

    @Test
    void osInfoAndHostNameMatchTheHost() throws Exception {
        GuestOsInfo os = qga.osInfo();
        assertEquals(Files.readString(Path.of("/proc/sys/kernel/osrelease")).trim(), os.kernelRelease());
        assertEquals(QgaAgentProcess.run("uname", "-m").trim(), os.machine());
        Map<String, String> release = Files.readAllLines(Path.of("/etc/os-release")).stream()
                .filter(l -> l.contains("=")).collect(Collectors.toMap(l -> l.substring(0, l.indexOf('=')),
                        l -> l.substring(l.indexOf('=') + 1).replace("\"", ""), (a, b) -> a));
        assertEquals(release.get("ID"), os.id());
        assertEquals(release.get("PRETTY_NAME"), os.prettyName());
        assertEquals(Files.readString(Path.of("/proc/sys/kernel/hostname")).trim(), qga.hostName());
        assertEquals(qga.hostName(), qga.call("guest-get-host-name", null).get("host-name").asText());
    }

    @Test
    void execCapturesStdoutAndExitCodeZero() {
        GuestExecResult r = qga.exec(List.of("echo", "hello", "world"), T);
        assertTrue(r.exited());
        assertTrue(r.success());
        assertEquals(0, r.exitCode());
        assertNull(r.signal());
        assertEquals("hello world\n", r.stdoutText());
        assertEquals(0, r.stderr().length);
        assertFalse(r.stdoutTruncated());
    }

    @Test
    void execNonZeroExitKeepsStdoutAndStderrApart() {
        GuestExecResult r = qga.exec(List.of("/bin/sh", "-c", "echo to-out; echo to-err >&2; exit 7"), T);
        assertFalse(r.success());
        assertEquals(7, r.exitCode());
        assertNull(r.signal());
        assertEquals("to-out\n", r.stdoutText());
        assertEquals("to-err\n", r.stderrText());
    }

    @Test
    void execFeedsBinaryStdin() {
        byte[] input = new byte[200_000];
        new Random(1).nextBytes(input);
        GuestExecResult r = qga.exec(List.of("cat"), input, T);
        assertEquals(0, r.exitCode());
        assertArrayEquals(input, r.stdout());
        GuestExecResult wc = qga.exec(GuestExecRequest.builder("wc", "-c").stdin(input).timeout(T).build());
        assertEquals(Integer.toString(input.length), wc.stdoutText().trim());
    }

    @Test
    void execWithEnvironmentAndWithoutCapture() {
        GuestExecResult r = qga.exec(GuestExecRequest.builder("/bin/sh", "-c", "echo \"$KVMJ_X\"")
                .env("KVMJ_X", "a b=c").timeout(T).build());
        assertEquals("a b=c\n", r.stdoutText());
        GuestExecResult quiet = qga.exec(GuestExecRequest.builder("echo", "x").captureOutput(false).timeout(T)
                .build());
        assertEquals(0, quiet.exitCode());
        assertEquals(0, quiet.stdout().length);
    }

    @Test
    void execKilledBySignalReportsTheSignal() {
        GuestExecResult r = qga.exec(List.of("/bin/sh", "-c", "echo before; kill -TERM $$; echo after"), T);
        assertTrue(r.exited());
        assertNull(r.exitCode());
        assertEquals(15, r.signal());
        assertEquals("before\n", r.stdoutText());
        assertFalse(r.success());
    }

    @Test
    void execTimeoutLeavesTheProcessRunningUnderItsPid() {
        QgaExecTimeoutException e = assertThrows(QgaExecTimeoutException.class,
                () -> qga.exec(List.of("sleep", "60"), Duration.ofMillis(500)));
        assertTrue(e.pid() > 0);
        assertFalse(qga.execStatus(e.pid()).exited());
        GuestExecResult kill = qga.exec(List.of("kill", "-KILL", Long.toString(e.pid())), T);
        assertEquals(0, kill.exitCode(), kill.stderrText());
        GuestExecResult killed = qga.execWait(e.pid(), T);
        assertEquals(9, killed.signal());
    }

    @Test
    void execOfAMissingProgramIsAnAgentError() {
        QgaErrorException e = assertThrows(QgaErrorException.class,
                () -> qga.exec(List.of("/nonexistent/kvmj-prog"), T));
        assertEquals("GenericError", e.errorClass());
        assertTrue(e.description().contains("No such file"), e.description());
        QgaErrorException pid = assertThrows(QgaErrorException.class, () -> qga.execStatus(-5));
        assertEquals("GenericError", pid.errorClass());
    }

    @Test
    void fileWriteReadRoundTripOfBinaryDataInSeveralChunks() throws Exception {
        byte[] data = new byte[5 * 1024 * 1024 / 2 + 17]; // 2.5 MiB + 17: three 1 MiB chunks
        new Random(2).nextBytes(data);
        Path f = dir.resolve("round trip.bin");
        qga.writeFile(f.toString(), data);
        assertArrayEquals(data, Files.readAllBytes(f));
        assertArrayEquals(data, qga.readFile(f.toString()));

        byte[] small = new byte[50_001];
        new Random(3).nextBytes(small);
        try (QgaClient chunky = QgaClient.open(agent.socket, QgaClientOptions.builder().fileChunkSize(4096)
                .build())) {
            qga.close(); // the agent serves one connection at a time
            Path g = dir.resolve("chunks.bin");
            chunky.writeFile(g.toString(), small);
            assertArrayEquals(small, Files.readAllBytes(g));
            Files.write(g, data);
            assertArrayEquals(data, chunky.readFile(g.toString()));
        }
    }

    @Test
    void emptyAndMissingFiles() throws Exception {
        Path empty = dir.resolve("empty");
        qga.writeFile(empty.toString(), new byte[0]);
        assertEquals(0, Files.size(empty));
        assertArrayEquals(new byte[0], qga.readFile(empty.toString()));
        QgaErrorException e = assertThrows(QgaErrorException.class,
                () -> qga.readFile(dir.resolve("missing").toString()));
        assertTrue(e.description().contains("No such file"), e.description());
        assertThrows(QgaErrorException.class, () -> qga.writeFile(dir.resolve("no/dir/x").toString(), new byte[1]));
        long h = qga.fileOpen(empty.toString(), "r");
        io.kvmj.qga.model.GuestFileRead r = qga.fileRead(h, 10);
        assertEquals(0, r.count());
        assertTrue(r.eof());
        qga.fileClose(h);
        assertThrows(QgaErrorException.class, () -> qga.fileClose(h));
    }

    @Test
    void fsfreezeStatusIsThawed() {
        assertEquals(FsFreezeStatus.THAWED, qga.fsfreezeStatus());
    }

    @Test
    void networkInterfacesIncludeLoopbackAndExistOnTheHost() throws Exception {
        List<GuestNetworkInterface> nics = qga.networkInterfaces();
        GuestNetworkInterface lo = nics.stream().filter(n -> n.name().equals("lo")).findFirst().orElseThrow();
        assertTrue(lo.ipAddresses().contains(new GuestIpAddress("ipv4", "127.0.0.1", 8)), lo.toString());
        Set<String> host;
        try (Stream<Path> s = Files.list(Path.of("/sys/class/net"))) {
            host = s.map(p -> p.getFileName().toString()).collect(Collectors.toSet());
        }
        for (GuestNetworkInterface n : nics) {
            assertTrue(host.contains(n.name()), n.name() + " not in " + host);
        }
        assertTrue(lo.statistics() == null || lo.statistics().rxBytes() >= 0);
    }

    @Test
    void blockedCommandsAreTypedAgentErrors() {
        GuestAgentInfo info = qga.info();
        for (String rpc : List.of("guest-shutdown", "guest-fsfreeze-freeze", "guest-fsfreeze-freeze-list",
                "guest-fsfreeze-thaw", "guest-set-user-password")) {
            assertFalse(info.enabled(rpc), rpc + " must be blocked on the host agent");
        }
        // only now (all blocked) exercise the methods: each must surface the agent's refusal
        QgaErrorException shutdown = assertThrows(QgaErrorException.class,
                () -> qga.shutdown(GuestShutdownMode.POWERDOWN));
        assertTrue(shutdown.commandNotFound(), shutdown.getMessage());
        assertTrue(shutdown.description().contains("disabled"), shutdown.description());
        assertTrue(assertThrows(QgaErrorException.class, qga::fsfreezeFreeze).commandNotFound());
        assertTrue(assertThrows(QgaErrorException.class, () -> qga.fsfreezeFreeze(List.of("/")))
                .commandNotFound());
        assertTrue(assertThrows(QgaErrorException.class, qga::fsfreezeThaw).commandNotFound());
        assertTrue(assertThrows(QgaErrorException.class, () -> qga.setUserPassword("kvmj-nobody", "x", false))
                .commandNotFound());
        QgaErrorException unknown = assertThrows(QgaErrorException.class, () -> qga.call("guest-kvmj-nope", null));
        assertTrue(unknown.commandNotFound());
        assertTrue(unknown.description().contains("not been found"), unknown.description());
        qga.ping(); // still in step
    }

    @Test
    void concurrentCallersAreServedOneAtATimeWithTheirOwnReplies() throws Exception {
        String host = qga.hostName();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            List<java.util.concurrent.Future<?>> futures = new java.util.ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int id = t;
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < 10; i++) {
                        String tag = id + "-" + i;
                        assertEquals(tag + "\n", qga.exec(List.of("echo", tag), T).stdoutText());
                        assertEquals(host, qga.hostName());
                    }
                    return null;
                }));
            }
            for (java.util.concurrent.Future<?> f : futures) {
                f.get(100, java.util.concurrent.TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1, qga.connects());
        assertEquals(1, qga.handshakes());
    }

    @Test
    void genericCallWithMapArgumentsAndTypedResult() {
        assertEquals("GenericError", assertThrows(QgaErrorException.class,
                () -> qga.call("guest-exec-status", Map.of("pid", -1))).errorClass());
        GuestOsInfo os = qga.call("guest-get-osinfo", null, GuestOsInfo.class);
        assertEquals(qga.osInfo(), os);
        assertEquals("thawed", qga.call("guest-fsfreeze-status", null).asText());
    }
}
