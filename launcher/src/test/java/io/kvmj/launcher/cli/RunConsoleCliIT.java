package io.kvmj.launcher.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvmj.core.qemu.ShellQuote;
import io.kvmj.launcher.demo.BusyboxLocator;
import io.kvmj.launcher.demo.GuestKernel;
import io.kvmj.launcher.demo.Initramfs;
import io.kvmj.launcher.demo.KvmjCache;
import io.kvmj.launcher.demo.ModuleSet;
import io.kvmj.launcher.process.Executables;
import io.kvmj.launcher.testutil.Requirements;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code kvmj run --console} in the foreground on a terminal (issue 14, item 1): a pseudo-terminal from
 * {@code script}, a busybox shell on the guest's serial line as its controlling terminal. Raw mode: Ctrl-C interrupts
 * the guest's {@code sleep}, not kvmj; Ctrl-] leaves the console and gives the terminal back, so the next Ctrl-C is
 * kvmj's again and shuts the guest down. One TCG boot.
 */
class RunConsoleCliIT {
    private static final String INIT = """
            #!/bin/sh
            . /lib/kvmj/init-common.sh
            echo "KVMJ-CON: ready"
            ( exec setsid cttyhack sh )
            poweroff -f
            """;
    static Path runtime;
    static CliProcess cli;

    @BeforeAll
    static void setUp() throws IOException {
        cli = CliProcess.inTempRuntime("kvmj-con-");
        runtime = cli.runtime();
    }

    @AfterAll
    static void tearDown() throws IOException {
        CliProcess.deleteTree(runtime);
    }

    /** Everything the terminal showed, appended by a reader thread; {@link #await} waits for text after a mark. */
    static final class Screen {
        private final StringBuilder text = new StringBuilder();

        void start(InputStream in) {
            Thread t = new Thread(() -> {
                byte[] buf = new byte[4096];
                try (in) {
                    for (int n; (n = in.read(buf)) >= 0; ) {
                        synchronized (this) {
                            text.append(new String(buf, 0, n, StandardCharsets.ISO_8859_1));
                            notifyAll();
                        }
                    }
                } catch (IOException e) {
                    // closed with the process
                }
            }, "screen");
            t.setDaemon(true);
            t.start();
        }

        synchronized int mark() {
            return text.length();
        }

        synchronized String text() {
            return text.toString();
        }

        /** Waits until {@code s} shows at or after {@code from}; returns where it ends. */
        synchronized int await(String s, int from, long seconds) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            int at;
            while ((at = text.indexOf(s, from)) < 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("'" + s + "' did not show within " + seconds + " s; terminal:\n" + text);
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
            return at + s.length();
        }
    }

    @Test
    void ctrlCGoesToTheGuestAndCtrlBracketLeavesTheConsole() throws Exception {
        if (Executables.find("script").isEmpty()) {
            Requirements.missing("script (util-linux/bsdutils) not installed");
        }
        GuestKernel kernel = Requirements.guestKernel();
        Path initrd = runtime.resolve("initrd.img");
        Initramfs.write(initrd, BusyboxLocator.locate(KvmjCache.defaultRoot(System.getenv())).path(),
                ModuleSet.builtInOnly("console test"), INIT);
        ProcessBuilder kvmj = cli.builder("run", "--name", "con-fg", "--memory", "192", "--accel", "tcg",
                "--kernel", kernel.kernel().toString(), "--initrd", initrd.toString(),
                "--append", "console=ttyS0 panic=-1 quiet loglevel=0 rdinit=/init", "--console",
                "--shutdown-timeout", "1");
        List<String> argv = new ArrayList<>(List.of("script", "-qfec", "exec " + ShellQuote.join(kvmj.command()),
                "/dev/null"));
        ProcessBuilder pb = new ProcessBuilder(argv);
        pb.environment().putAll(kvmj.environment());
        Process p = pb.redirectErrorStream(true).start();
        Screen screen = new Screen();
        screen.start(p.getInputStream());
        OutputStream keys = p.getOutputStream();
        try {
            int at = screen.await("escape character is ^]", 0, 120);
            at = screen.await("KVMJ-CON: ready", at, 300);
            at = screen.await("# ", at, 120);
            // S2LEEP shows once ash has given its terminal back (cooked, ISIG) and the job runs in the foreground: it
            // is printed by the job itself (ash makes a child the terminal's foreground group before it runs), so the
            // Ctrl-C below cannot arrive while the shell still holds the terminal (a race a loaded host lost)
            type(keys, "sh -c 'echo S$((1+1))LEEP; exec sleep 1000'\r");
            at = screen.await("S2LEEP", at, 60);
            type(keys, "\u0003"); // Ctrl-C: the guest's tty interrupts sleep, kvmj goes on
            at = screen.await("^C", at, 60);
            at = screen.await("# ", at, 60); // the prompt again: sleep is gone
            type(keys, "echo MARK$((40+2))\r");
            at = screen.await("MARK42", at, 60); // only after the sleep was interrupted
            assertFalse(screen.text().contains("shutting down guest"), "Ctrl-C reached kvmj:\n" + screen.text());
            assertTrue(p.isAlive());

            type(keys, "\u001d"); // Ctrl-]
            at = screen.await("left the console of con-fg", at, 60);
            type(keys, "echo NOT$((1+1))SENT\r"); // no longer the guest's: the terminal is cooked again
            type(keys, "\u0003"); // now SIGINT for kvmj
            at = screen.await("shutting down guest con-fg", at, 60);
            assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the guest did not stop:\n" + screen.text());
            screen.await("guest con-fg ended", at, 10);
            assertFalse(screen.text().contains("NOT2SENT"), "input after Ctrl-] reached the guest:\n" + screen.text());
            assertEquals(0, p.exitValue(), screen.text());
        } finally {
            p.destroyForcibly();
            Path pid = runtime.resolve("con-fg").resolve("qemu.pid");
            if (Files.exists(pid)) {
                ProcessHandle.of(Long.parseLong(Files.readString(pid).strip())).ifPresent(ProcessHandle::destroyForcibly);
            }
        }
    }

    private static void type(OutputStream keys, String s) throws IOException {
        keys.write(s.getBytes(StandardCharsets.ISO_8859_1));
        keys.flush();
    }
}
