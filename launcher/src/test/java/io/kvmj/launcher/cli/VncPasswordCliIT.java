package io.kvmj.launcher.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.kvmj.launcher.cli.CliProcess.Result;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code kvmj run --graphics vnc,listen=0.0.0.0,password=PW} on a real QEMU (issue 14, item 6): QEMU reports VNC
 * authentication, a VNC client with the password gets in and one without it does not, and the password is on no
 * command line ({@code ps}) and in no file of the runtime directory (spec.json, guest.json, logs) but the
 * 0600 {@code vnc.secret} QEMU reads it from. One paused
 * guest without an OS.
 */
public class VncPasswordCliIT {
    private static final String SECRET = "kV9-pw#1";
    static Path runtime;
    static CliProcess cli;

    @BeforeAll
    static void setUp() throws IOException {
        cli = CliProcess.inTempRuntime("kvmj-vnc-");
        runtime = cli.runtime();
    }

    @AfterAll
    static void tearDown() throws IOException {
        CliProcess.deleteTree(runtime);
    }

    @Test
    void vncOffLoopbackAsksForThePasswordThatNeverShows() throws Exception {
        Result run = cli.run(90, "run", "--name", "vncpw", "--paused", "--memory", "64", "--accel", "tcg", "--detach",
                "--json", "--graphics", "vnc,listen=0.0.0.0,password=" + SECRET);
        assertEquals(0, run.exit(), run.toString());
        long pid = run.json().path("pid").asLong();
        try {
            String cmdline = Files.readString(Path.of("/proc", Long.toString(pid), "cmdline")).replace('\0', ' ');
            assertTrue(cmdline.contains("password-secret=vnc-secret"), cmdline);
            assertFalse(cmdline.contains(SECRET), "the password is on QEMU's command line: " + cmdline);
            assertFalse(run.out().contains(SECRET) || run.err().contains(SECRET), run.toString());
            Path dir = runtime.resolve("vncpw");
            // kept for a migration or save of the guest: owner-only, and the only file that holds it
            Path secret = dir.resolve("vnc.secret");
            assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
                    Files.getPosixFilePermissions(secret)));
            try (var files = Files.walk(dir)) {
                for (Path f : files.filter(Files::isRegularFile).filter(f -> !f.equals(secret)).toList()) {
                    assertFalse(Files.readString(f, StandardCharsets.ISO_8859_1).contains(SECRET), "password in " + f);
                }
            }

            Result q = cli.run(60, "qmp", "vncpw", "query-vnc");
            assertEquals(0, q.exit(), q.toString());
            JsonNode vnc = q.json();
            assertTrue(vnc.path("enabled").asBoolean(), q.out());
            assertEquals("vnc", vnc.path("auth").asText(), "QEMU asks VNC clients for a password: " + q.out());
            assertEquals("0.0.0.0", vnc.path("host").asText(), q.out());
            int port = Integer.parseInt(vnc.path("service").asText());

            assertEquals(1, rfbAuth(port, "wrong-pw"), "a wrong password is refused");
            assertEquals(0, rfbAuth(port, SECRET), "the password given to kvmj run lets a client in");

            Result list = cli.run(60, "list");
            assertTrue(list.out().contains("0.0.0.0:" + (port - 5900)) || list.out().contains("0.0.0.0:" + port),
                    list.out());
            Result stop = cli.run(90, "stop", "vncpw", "--force");
            assertEquals(0, stop.exit(), stop.toString());
        } finally {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    /** An RFB 3.8 client's VNC authentication (DES of the server's challenge); returns the SecurityResult. */
    public static int rfbAuth(int port, String password) throws Exception {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
            s.setSoTimeout(30_000);
            DataInputStream in = new DataInputStream(s.getInputStream());
            OutputStream out = s.getOutputStream();
            byte[] version = new byte[12];
            in.readFully(version);
            assertEquals("RFB 003.008\n", new String(version, StandardCharsets.US_ASCII));
            out.write("RFB 003.008\n".getBytes(StandardCharsets.US_ASCII));
            int n = in.readUnsignedByte();
            assertTrue(n > 0, "no security types offered");
            byte[] types = new byte[n];
            in.readFully(types);
            assertEquals(List.of((byte) 2), List.of(types[0]), "VNC authentication (2) is the only way in");
            assertEquals(1, n, "no 'None' security type beside it");
            out.write(2);
            byte[] challenge = new byte[16];
            in.readFully(challenge);
            byte[] key = new byte[8];
            byte[] pw = password.getBytes(StandardCharsets.ISO_8859_1);
            for (int i = 0; i < 8 && i < pw.length; i++) {
                key[i] = (byte) (Integer.reverse(pw[i] & 0xff) >>> 24); // VNC's DES key: each byte's bits mirrored
            }
            Cipher des = Cipher.getInstance("DES/ECB/NoPadding");
            des.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "DES"));
            out.write(des.doFinal(challenge));
            out.flush();
            return in.readInt();
        }
    }
}
