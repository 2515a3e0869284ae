package io.kvmj.qmp;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Test helper: a {@code qemu-system-x86_64 -machine none} process that is always killed on close. */
final class QemuProcess implements AutoCloseable {
    static final String BINARY = "qemu-system-x86_64";

    final Process process;
    final List<String> argv;
    final Path stderr;

    private QemuProcess(Process process, List<String> argv, Path stderr) {
        this.process = process;
        this.argv = argv;
        this.stderr = stderr;
    }

    static void assumeQemu() {
        boolean present = false;
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, BINARY))) {
                present = true;
            }
        }
        if (!present && "true".equals(System.getenv("CI"))) {
            fail(BINARY + " not found on PATH (CI=true): install qemu-system-x86");
        }
        assumeTrue(present, BINARY + " not found on PATH");
    }

    /** Starts QEMU with the given -qmp chardev spec. */
    static QemuProcess start(String qmpSpec, Path workDir, String... extraArgs) throws IOException {
        assumeQemu();
        List<String> argv = new ArrayList<>(List.of(BINARY, "-machine", "none", "-nodefaults", "-display", "none",
                "-qmp", qmpSpec));
        argv.addAll(List.of(extraArgs));
        Path err = workDir.resolve("qemu-stderr.txt");
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(err.toFile()).start();
        return new QemuProcess(p, argv, err);
    }

    String diagnostics() {
        String out;
        try {
            out = Files.readString(stderr);
        } catch (IOException e) {
            out = "<" + e + ">";
        }
        return "argv=" + argv + " alive=" + process.isAlive() + " output=" + out;
    }

    boolean waitForExit(long seconds) throws InterruptedException {
        return process.waitFor(seconds, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
        }
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
