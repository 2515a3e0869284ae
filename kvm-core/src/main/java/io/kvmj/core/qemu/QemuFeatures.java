package io.kvmj.core.qemu;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Asks a QEMU binary what it supports by actually running it (~100 ms), e.g. whether {@code -sandbox on}
 * (seccomp) is compiled in, before a spec with {@code sandbox(true)} is rendered.
 */
public final class QemuFeatures {
    private QemuFeatures() {}

    /** True when {@code binary} starts with the same {@code -sandbox} option kvmj renders. */
    public static boolean supportsSandbox(String binary) {
        return startsCleanly(List.of(binary, "-machine", "none", "-nodefaults", "-no-user-config", "-display", "none",
                "-sandbox", "on,obsolete=deny,elevateprivileges=deny,spawn=deny,resourcecontrol=deny", "-S", "-qmp", "stdio"));
    }

    /** Runs argv (which must end in {@code -qmp stdio}), sends quit over QMP, and reports a clean exit. */
    static boolean startsCleanly(List<String> argv) {
        Process p;
        try {
            p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        } catch (IOException e) {
            return false;
        }
        try {
            try (OutputStream in = p.getOutputStream()) {
                in.write("{\"execute\":\"qmp_capabilities\"}\n{\"execute\":\"quit\"}\n".getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                // QEMU exited before reading: reported by the exit code below
            }
            p.getInputStream().readAllBytes();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                return false;
            }
            return p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            if (p.isAlive()) {
                p.destroyForcibly();
            }
        }
    }
}
