package io.kvmj.bench.launch;

import io.kvmj.bench.BareQemu;
import io.kvmj.launcher.Guest;
import io.kvmj.launcher.Launcher;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * kvmj's {@code Launcher.launchArgv} to QMP ready for {@code -machine none}, and the bare QEMU with the very
 * argv kvmj ran (its runtime directory rewritten to a scratch one), waiting for the greeting on the same
 * kind of QMP socket kvmj uses (listening before spawn when kvmj does).
 */
final class KvmjLaunch {

    static final List<String> MACHINE_NONE = List.of("-machine", "none", "-nodefaults", "-display", "none");

    private KvmjLaunch() {
    }

    /** One kvmj launch: ms from the call until launchArgv returned (QMP negotiated); the argv it ran. */
    record Timed(double millis, List<String> argv) {
    }

    static Timed kvmj(Launcher launcher, String name) {
        long t0 = System.nanoTime();
        try (Guest g = launcher.launchArgv(name, MACHINE_NONE)) {
            double ms = (System.nanoTime() - t0) / 1e6;
            Timed t = new Timed(ms, List.copyOf(g.argv()));
            g.quit();   // -machine none has no ACPI: skip close()'s system_powerdown wait
            return t;
        }
    }

    /** {@code kvmjArgv} with kvmj's runtime directory replaced by {@code scratch}, and its QMP sockets. */
    record Rewritten(List<String> argv, Path clientQmp, Path serverQmp) {
    }

    static Rewritten rewrite(List<String> kvmjArgv, Path scratch) throws IOException {
        int pid = kvmjArgv.indexOf("-pidfile");
        if (pid < 0) {
            throw new IllegalStateException("kvmj argv has no -pidfile to locate its runtime directory: " + kvmjArgv);
        }
        String runDir = Path.of(kvmjArgv.get(pid + 1)).getParent().toString();
        List<String> argv = new ArrayList<>();
        for (String a : kvmjArgv) {
            argv.add(a.replace(runDir, scratch.toString()));
        }
        Path client = null;
        Path server = null;
        for (int i = 0; i < argv.size() - 1; i++) {
            if (argv.get(i).equals("-qmp") && argv.get(i + 1).startsWith("unix:")) {
                String v = argv.get(i + 1).substring(5);
                if (v.contains(",server=on")) {
                    server = server == null ? Path.of(v.substring(0, v.indexOf(','))) : server;
                } else {
                    client = Path.of(v);
                }
            }
        }
        try (var s = Files.list(scratch)) {
            for (Path p : s.toList()) {
                Files.deleteIfExists(p);
            }
        }
        return new Rewritten(argv, client, server);
    }

    /** The bare QEMU with {@code kvmjArgv} (paths moved into {@code scratch}) to its QMP greeting; ms. */
    static double bare(List<String> kvmjArgv, Path scratch) throws IOException {
        Rewritten r = rewrite(kvmjArgv, scratch);
        List<String> argv = r.argv();
        BareQemu q = r.clientQmp() != null ? BareQemu.startClient(argv, r.clientQmp(), Duration.ofSeconds(30))
                : BareQemu.startServer(argv, r.serverQmp(), Duration.ofSeconds(30));
        try (q) {
            return q.readyNanos() / 1e6;
        }
    }
}
