package io.kvmj.launcher.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Liveness of processes that may not be our children. A zombie (exited, not yet reaped: common for detached QEMU
 * re-parented to an init that reaps lazily) counts as dead, unlike {@link ProcessHandle#isAlive()}.
 */
public final class Pids {
    private Pids() {}

    /**
     * This process's pid: the target of {@code /proc/self}, else {@link ProcessHandle#current()}. (The first
     * {@code ProcessHandle} of a JVM sets up its process reaper: several ms of a short command's start, issue 19.)
     */
    public static long self() {
        try {
            return Long.parseLong(Files.readSymbolicLink(Path.of("/proc/self")).toString());
        } catch (IOException | UnsupportedOperationException | NumberFormatException e) {
            return ProcessHandle.current().pid();
        }
    }

    /** True when {@code pid} exists and has not exited. */
    public static boolean alive(long pid) {
        if (pid <= 0) {
            return false;
        }
        Optional<Character> state = state(pid);
        if (state.isPresent()) {
            return state.get() != 'Z' && state.get() != 'X';
        }
        return !Files.isDirectory(Path.of("/proc")) && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    /** The state letter from /proc/PID/stat (R, S, D, Z, ...), empty when the process does not exist. */
    public static Optional<Character> state(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            int i = stat.lastIndexOf(')');
            return i < 0 || i + 2 >= stat.length() ? Optional.empty() : Optional.of(stat.charAt(i + 2));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** The executable name (comm) of {@code pid}, empty when unknown. */
    public static Optional<String> command(long pid) {
        try {
            return Optional.of(Files.readString(Path.of("/proc", Long.toString(pid), "comm")).strip());
        } catch (IOException e) {
            return ProcessHandle.of(pid).flatMap(h -> h.info().command());
        }
    }

    /**
     * The command line of {@code pid} (arguments joined by a space; from /proc/PID/cmdline, else
     * {@link ProcessHandle.Info}), empty when unknown.
     */
    public static Optional<String> commandLine(long pid) {
        try {
            byte[] raw = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline"));
            if (raw.length > 0) {
                return Optional.of(new String(raw, java.nio.charset.StandardCharsets.UTF_8).replace('\0', ' ').strip());
            }
            return Optional.empty(); // a kernel thread or a zombie
        } catch (IOException e) {
            return ProcessHandle.of(pid).flatMap(h -> h.info().commandLine());
        }
    }
}
