package io.kvmj.launcher.osimage;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs one host tool of the build (mmdebstrap, sfdisk, mkfs.ext4, mount, grub-install, ...) with a timeout. Its
 * output is kept (the last lines) for the error message; on timeout or interruption the tool is killed.
 */
final class HostCommand {
    private static final int TAIL_LINES = 15;
    private static final Duration GRACE = Duration.ofSeconds(20);

    private HostCommand() {}

    /** Runs {@code argv}; returns stdout; throws {@link ImageBuildException} on a non-zero exit. */
    static String run(List<String> argv, Duration timeout) {
        return run(argv, null, timeout);
    }

    /** Runs {@code argv} with {@code stdin} (or none); returns stdout; throws on a non-zero exit. */
    static String run(List<String> argv, String stdin, Duration timeout) {
        ProcessBuilder pb = new ProcessBuilder(argv);
        pb.environment().put("LC_ALL", "C");
        pb.environment().put("DEBIAN_FRONTEND", "noninteractive");
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new ImageBuildException("cannot run " + argv.get(0) + ": " + e.getMessage(), e);
        }
        try {
            try (OutputStream in = p.getOutputStream()) {
                if (stdin != null) {
                    in.write(stdin.getBytes(StandardCharsets.UTF_8));
                }
            }
            CompletableFuture<String> out = drain(p.getInputStream());
            CompletableFuture<String> err = drain(p.getErrorStream());
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new ImageBuildException(argv.get(0) + " did not finish within " + timeout.toSeconds() + " s");
            }
            String stdout = out.join();
            if (p.exitValue() != 0) {
                throw new ImageBuildException(String.join(" ", argv.subList(0, Math.min(argv.size(), 4)))
                    + (argv.size() > 4 ? " …" : "") + " exited with " + p.exitValue() + ": "
                    + tail(err.join() + "\n" + stdout));
            }
            return stdout;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ImageBuildException("interrupted while running " + argv.get(0), e);
        } catch (IOException e) {
            throw new ImageBuildException("I/O error talking to " + argv.get(0) + ": " + e.getMessage(), e);
        } finally {
            if (p.isAlive()) {
                stop(p);
            }
        }
    }

    /**
     * Stops a tool that is still running (timeout, Ctrl-C): SIGTERM so it can clean up (mmdebstrap unmounts its
     * /proc, /sys, /dev), then after {@link #GRACE} SIGKILL to it and every process it started, so no orphan keeps
     * writing into the build directory.
     */
    private static void stop(Process p) {
        List<ProcessHandle> tree = new ArrayList<>(p.descendants().toList());
        p.destroy();
        boolean interrupted = Thread.interrupted();
        try {
            p.waitFor(GRACE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            interrupted = true;
        }
        tree.addAll(p.descendants().toList());
        p.destroyForcibly();
        for (ProcessHandle h : tree) {
            h.destroyForcibly();
        }
        for (ProcessHandle h : tree) {
            try {
                h.onExit().get(5, TimeUnit.SECONDS);
            } catch (Exception e) {
                // gone or unkillable (D state); the caller's cleanup still refuses to delete across mounts
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Like {@link #run(List, Duration)} but returns false instead of throwing on a non-zero exit. */
    static boolean tryRun(List<String> argv, Duration timeout) {
        try {
            run(argv, timeout);
            return true;
        } catch (ImageBuildException e) {
            return false;
        }
    }

    private static String tail(String text) {
        Deque<String> last = new ArrayDeque<>();
        for (String l : text.strip().split("\n")) {
            if (!l.isBlank()) {
                last.addLast(l.strip());
                if (last.size() > TAIL_LINES) {
                    last.removeFirst();
                }
            }
        }
        return String.join(" | ", last);
    }

    private static CompletableFuture<String> drain(InputStream in) {
        CompletableFuture<String> f = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try (in) {
                f.complete(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                f.complete("");
            }
        }, "kvmj-img-build-drain");
        t.setDaemon(true);
        t.start();
        return f;
    }
}
