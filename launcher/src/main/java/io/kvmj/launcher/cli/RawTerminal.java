package io.kvmj.launcher.cli;

import java.io.File;
import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * The controlling terminal switched to raw mode ({@code stty raw -echo}) while a console is attached, restored on
 * {@link #close()} and by a shutdown hook. Does nothing unless stdin and stdout are a terminal.
 *
 * <pre>{@code
 * try (RawTerminal raw = RawTerminal.enter()) { ... bytes typed, including Ctrl-C, reach us unprocessed ... }
 * }</pre>
 */
final class RawTerminal implements AutoCloseable {
    private final String saved;
    private final Thread hook;
    private final java.util.concurrent.atomic.AtomicBoolean restored = new java.util.concurrent.atomic.AtomicBoolean();

    private RawTerminal(String saved) {
        this.saved = saved;
        this.hook = saved == null ? null : new Thread(() -> stty(saved), "kvmj-tty-restore");
        if (hook != null) {
            Runtime.getRuntime().addShutdownHook(hook);
        }
    }

    /** Raw mode when on a terminal; otherwise a no-op instance. */
    static RawTerminal enter() {
        if (System.console() == null || !new File("/dev/tty").canRead()) {
            return new RawTerminal(null);
        }
        String saved = stty("-g");
        if (saved == null || saved.isBlank() || stty("raw", "-echo") == null) {
            return new RawTerminal(null);
        }
        return new RawTerminal(saved.strip());
    }

    boolean active() {
        return saved != null && !restored.get();
    }

    @Override
    public void close() {
        if (saved != null && restored.compareAndSet(false, true)) {
            stty(saved);
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException ignored) {
                // already shutting down: the hook restores
            }
        }
    }

    private static String stty(String... args) {
        String[] cmd = new String[args.length + 1];
        cmd[0] = "stty";
        System.arraycopy(args, 0, cmd, 1, args.length);
        try {
            Process p = new ProcessBuilder(cmd).redirectInput(Redirect.from(new File("/dev/tty")))
                    .redirectError(Redirect.DISCARD).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(5, TimeUnit.SECONDS) || p.exitValue() != 0) {
                return null;
            }
            return out;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
