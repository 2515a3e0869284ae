package io.kvmj.qga.model;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A process to run in the guest with {@code guest-exec}. {@code argv[0]} is the program (looked up in the
 * agent's {@code PATH} when it has no slash); no shell is involved, so pass {@code sh -c ...} for one.
 *
 * <pre>{@code
 * GuestExecRequest req = GuestExecRequest.builder("sh", "-c", "tr a-z A-Z")
 *         .stdin("hello".getBytes(UTF_8)).timeout(Duration.ofSeconds(20)).build();
 * }</pre>
 *
 * @param argv          program and arguments (not empty)
 * @param env           extra environment entries {@code NAME=value} (empty: the agent's environment)
 * @param stdin         bytes fed to the process's stdin, then closed; {@code null} for none
 * @param captureOutput capture stdout and stderr (the agent keeps at most 16 MiB of each)
 * @param timeout       how long {@link io.kvmj.qga.QgaClient#exec(GuestExecRequest)} waits for the exit
 */
public record GuestExecRequest(List<String> argv, List<String> env, byte[] stdin, boolean captureOutput,
        Duration timeout) {

    /** Default wait for the process to exit. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

    public GuestExecRequest {
        argv = List.copyOf(argv);
        if (argv.isEmpty()) {
            throw new IllegalArgumentException("guest-exec needs a program (argv is empty)");
        }
        env = List.copyOf(env);
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("exec timeout must be positive, got " + timeout);
        }
    }

    /** The program ({@code argv[0]}). */
    public String path() {
        return argv.get(0);
    }

    /** The arguments after the program. */
    public List<String> args() {
        return argv.subList(1, argv.size());
    }

    /** A request with output captured and the default timeout. */
    public static GuestExecRequest of(List<String> argv) {
        return builder(argv).build();
    }

    public static Builder builder(String... argv) {
        return builder(List.of(argv));
    }

    public static Builder builder(List<String> argv) {
        return new Builder(argv);
    }

    /** Builder of {@link GuestExecRequest}. */
    public static final class Builder {
        private final List<String> argv;
        private final List<String> env = new ArrayList<>();
        private byte[] stdin;
        private boolean captureOutput = true;
        private Duration timeout = DEFAULT_TIMEOUT;

        private Builder(List<String> argv) {
            this.argv = List.copyOf(argv);
        }

        /** Adds an environment entry {@code NAME=value}. */
        public Builder env(String name, String value) {
            this.env.add(name + "=" + value);
            return this;
        }

        /** Bytes for the process's stdin (default none). */
        public Builder stdin(byte[] bytes) {
            this.stdin = bytes == null ? null : bytes.clone();
            return this;
        }

        /** Capture stdout/stderr (default true). */
        public Builder captureOutput(boolean capture) {
            this.captureOutput = capture;
            return this;
        }

        /** Wait for the exit at most this long (default 60 s). */
        public Builder timeout(Duration timeout) {
            this.timeout = timeout;
            return this;
        }

        public GuestExecRequest build() {
            return new GuestExecRequest(argv, env, stdin, captureOutput, timeout);
        }
    }
}
