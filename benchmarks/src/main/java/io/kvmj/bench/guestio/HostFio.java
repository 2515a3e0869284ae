package io.kvmj.bench.guestio;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs fio on the host and parses its JSON with {@link FioStats}. */
final class HostFio {

    private HostFio() {
    }

    /** Runs {@code argv} (a fio command line), waiting at most {@code timeoutSeconds}. */
    static FioStats run(List<String> argv, long timeoutSeconds) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("fio timed out: " + String.join(" ", argv));
        }
        String s = new String(out, StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            throw new IOException("fio exited " + p.exitValue() + ": " + s.strip() + "\nargv: " + String.join(" ", argv));
        }
        return FioStats.parse(s);
    }
}
