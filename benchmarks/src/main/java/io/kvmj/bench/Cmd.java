package io.kvmj.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a host command and returns its combined output; a non-zero exit is an exception with the output. */
public final class Cmd {

    private Cmd() {
    }

    /** Runs {@code argv}, failing after {@code timeoutSeconds}. */
    public static String run(List<String> argv, int timeoutSeconds) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("timed out after " + timeoutSeconds + " s: " + String.join(" ", argv));
        }
        String s = new String(out, StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            throw new IOException("exit " + p.exitValue() + " from `" + String.join(" ", argv) + "`: " + s.strip());
        }
        return s;
    }
}
