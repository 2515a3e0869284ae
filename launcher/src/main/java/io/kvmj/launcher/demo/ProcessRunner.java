package io.kvmj.launcher.demo;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs short host tools (apt-get, dpkg-deb, qemu-img) with a timeout, capturing their output. */
final class ProcessRunner {
    /** Outcome of one tool run. */
    record Result(List<String> argv, int exitCode, String stdout, String stderr) {
        boolean ok() {
            return exitCode == 0;
        }

        /** "argv exited with N: stderr" for error messages. */
        String describe() {
            String err = stderr.isBlank() ? stdout : stderr;
            return "'" + String.join(" ", argv) + "' exited with " + exitCode
                + (err.isBlank() ? "" : ": " + err.strip());
        }
    }

    private ProcessRunner() {}

    static Result run(List<String> argv, Path cwd, Duration timeout) {
        ProcessBuilder pb = new ProcessBuilder(argv);
        if (cwd != null) {
            pb.directory(cwd.toFile());
        }
        pb.environment().put("LC_ALL", "C");
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new DemoException("cannot run '" + argv.get(0) + "' (is it installed?): " + e.getMessage(), e);
        }
        try {
            p.getOutputStream().close();
            CompletableFuture<String> out = drain(p.getInputStream());
            CompletableFuture<String> err = drain(p.getErrorStream());
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new DemoException("'" + String.join(" ", argv) + "' did not finish within " + timeout.toSeconds() + " s");
            }
            return new Result(List.copyOf(argv), p.exitValue(), out.join(), err.join());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DemoException("interrupted while running " + argv.get(0), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            p.destroyForcibly();
        }
    }

    private static CompletableFuture<String> drain(InputStream in) {
        return CompletableFuture.supplyAsync(() -> {
            try (in) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "";
            }
        });
    }
}
