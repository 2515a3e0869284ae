package io.kvmj.launcher;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How {@link Launcher} starts a guest (everything that is not part of the guest's description).
 *
 * @param qemuBinary       QEMU system emulator to run (name on PATH or absolute path)
 * @param readyTimeout     bound on spawn + QMP handshake
 * @param shutdownTimeout  ACPI power-down bound used by {@link Guest#close()}
 * @param detached         QEMU outlives this JVM (no parent-death signal, no shutdown hook); for CLI {@code --detach}
 * @param console          add kvmj's serial console (socket + log) as the guest's first serial port
 */
public record LaunchOptions(String qemuBinary, Duration readyTimeout, Duration shutdownTimeout, boolean detached,
                            boolean console) {
    /** The default QEMU binary. */
    public static final String DEFAULT_QEMU = "qemu-system-x86_64";

    public LaunchOptions {
        Objects.requireNonNull(qemuBinary, "qemuBinary");
        Objects.requireNonNull(readyTimeout, "readyTimeout");
        Objects.requireNonNull(shutdownTimeout, "shutdownTimeout");
        if (readyTimeout.isNegative() || readyTimeout.isZero() || shutdownTimeout.isNegative()) {
            throw new IllegalArgumentException("timeouts must be positive");
        }
    }

    /** qemu-system-x86_64, 30 s to become ready, 30 s ACPI shutdown on close, attached, with console. */
    public static LaunchOptions defaults() {
        return new LaunchOptions(DEFAULT_QEMU, Duration.ofSeconds(30), Duration.ofSeconds(30), false, true);
    }

    public LaunchOptions withQemuBinary(String binary) {
        return new LaunchOptions(binary, readyTimeout, shutdownTimeout, detached, console);
    }

    public LaunchOptions withQemuBinary(Path binary) {
        return withQemuBinary(binary.toString());
    }

    public LaunchOptions withReadyTimeout(Duration t) {
        return new LaunchOptions(qemuBinary, t, shutdownTimeout, detached, console);
    }

    public LaunchOptions withShutdownTimeout(Duration t) {
        return new LaunchOptions(qemuBinary, readyTimeout, t, detached, console);
    }

    public LaunchOptions withDetached(boolean d) {
        return new LaunchOptions(qemuBinary, readyTimeout, shutdownTimeout, d, console);
    }

    public LaunchOptions withConsole(boolean c) {
        return new LaunchOptions(qemuBinary, readyTimeout, shutdownTimeout, detached, c);
    }
}
