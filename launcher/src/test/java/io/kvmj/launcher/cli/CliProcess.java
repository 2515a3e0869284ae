package io.kvmj.launcher.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kvmj.launcher.process.Executables;
import io.kvmj.launcher.testutil.Requirements;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The {@code kvmj} fat jar (built in {@code package}, before failsafe runs) started as a child process, for the CLI
 * ITs. SIGINT is reset to its default disposition for the child: a build started in the background by a
 * non-interactive shell ignores SIGINT, a JVM started that way keeps ignoring it, and the ITs that send SIGINT
 * test the CLI's handling, not the build's.
 */
public final class CliProcess {
    public static final ObjectMapper JSON = new ObjectMapper();

    /** What a finished process printed and returned. */
    public record Result(int exit, String out, String err) {
        public JsonNode json() throws IOException {
            return JSON.readTree(out);
        }

        @Override
        public String toString() {
            return "exit " + exit + "\nstdout: " + out + "\nstderr: " + err;
        }
    }

    private final Path jar;
    private final Path runtime;

    private CliProcess(Path jar, Path runtime) {
        this.jar = jar;
        this.runtime = runtime;
    }

    /** The CLI with {@code KVMJ_RUNTIME_DIR=runtime}; aborts (fails under CI) when QEMU or the fat jar is missing. */
    public static CliProcess require(Path runtime) {
        Requirements.qemu();
        Path jar = Path.of(System.getProperty("basedir", "."), "target", "kvmj.jar");
        if (!Files.isRegularFile(jar)) {
            Requirements.missing("fat jar not built: " + jar + " (run mvn verify, which packages first)");
        }
        return new CliProcess(jar, runtime);
    }

    /**
     * The CLI with a fresh runtime directory {@code /tmp/PREFIX*} (under /tmp: unix socket paths stay short); remove it
     * with {@link #deleteTree(Path)} of {@link #runtime()} when the class is done.
     */
    public static CliProcess inTempRuntime(String prefix) throws IOException {
        return require(Files.createTempDirectory(Path.of("/tmp"), prefix));
    }

    /** The runtime directory this CLI runs with ({@code KVMJ_RUNTIME_DIR}). */
    public Path runtime() {
        return runtime;
    }

    /** Removes {@code dir} and everything below it (test clean-up); nothing when it is null or absent. */
    public static void deleteTree(Path dir) throws IOException {
        if (dir == null || !Files.isDirectory(dir)) {
            return;
        }
        try (var s = Files.walk(dir)) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }

    /** Aborts (fails under CI) unless {@code qemu-img} and {@code qemu-io} are on the PATH. */
    static void requireImageTools() {
        for (String tool : List.of("qemu-img", "qemu-io")) {
            if (Executables.find(tool).isEmpty()) {
                Requirements.missing(tool + " not found on PATH");
            }
        }
    }

    /** The process builder for {@code kvmj ARGS}. */
    public ProcessBuilder builder(String... args) {
        List<String> cmd = new ArrayList<>(List.of("env", "--default-signal=INT",
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("KVMJ_RUNTIME_DIR", runtime.toString());
        return pb;
    }

    /** Starts {@code kvmj ARGS} (the process id is the JVM's: {@code env} execs it). */
    public Process start(String... args) throws IOException {
        return builder(args).start();
    }

    /** Runs {@code kvmj ARGS} to the end (at most {@code timeoutSeconds}). */
    public Result run(int timeoutSeconds, String... args) throws Exception {
        return finish(start(args), timeoutSeconds, "kvmj " + String.join(" ", args));
    }

    /** Runs any command to the end (at most {@code timeoutSeconds}). */
    public static Result sh(int timeoutSeconds, String... argv) throws Exception {
        return finish(new ProcessBuilder(argv).start(), timeoutSeconds, String.join(" ", argv));
    }

    /** Collects the output of a started process until it exits (at most {@code timeoutSeconds}). */
    public static Result finish(Process p, int timeoutSeconds, String what) throws Exception {
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(p.getInputStream()));
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(what + " did not finish within " + timeoutSeconds + " s");
        }
        return new Result(p.exitValue(), out.get(10, TimeUnit.SECONDS), err.get(10, TimeUnit.SECONDS));
    }

    static String read(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }
}
