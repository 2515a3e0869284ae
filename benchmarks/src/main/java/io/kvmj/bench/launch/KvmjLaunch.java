package io.kvmj.bench.launch;

import io.kvmj.bench.BareQemu;
import io.kvmj.launcher.Guest;
import io.kvmj.launcher.LaunchTimings;
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

    /** One kvmj launch: ms from the call until launchArgv returned (QMP negotiated); the argv it ran; its phases. */
    record Timed(double millis, List<String> argv, LaunchTimings phases) {
    }

    static Timed kvmj(Launcher launcher, String name) {
        return kvmj(launcher, name, MACHINE_NONE);
    }

    /** One kvmj launch of {@code argv} (no ACPI use: it is quit, not powered down). */
    static Timed kvmj(Launcher launcher, String name, List<String> argv) {
        long t0 = System.nanoTime();
        try (Guest g = launcher.launchArgv(name, argv)) {
            double ms = (System.nanoTime() - t0) / 1e6;
            Timed t = new Timed(ms, List.copyOf(g.argv()), g.launchTimings());
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
            String v = argv.get(i + 1);
            if (argv.get(i).equals("-qmp") && v.startsWith("unix:")) {
                String p = v.substring(5);
                if (p.contains(",server=on")) {
                    server = server == null ? Path.of(p.substring(0, p.indexOf(','))) : server;
                } else {
                    client = Path.of(p);
                }
            } else if (argv.get(i).equals("-chardev") && v.startsWith("socket,id=qmp")) {
                // kvmj's renderer: -chardev socket,id=qmpN,path=P[,server=on,wait=off] -mon chardev=qmpN,mode=control
                Path p = Path.of(optionValue(v, "path"));
                if (v.contains(",server=on")) {
                    server = server == null ? p : server;
                } else {
                    client = p;
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

    /** The value of {@code key} in a QEMU option string ({@code ,,} is a literal comma). */
    static String optionValue(String opts, String key) {
        String marker = key + "=";
        int at = opts.startsWith(marker) ? 0 : opts.indexOf("," + marker) + 1;
        if (at == 0 && !opts.startsWith(marker)) {
            throw new IllegalStateException("no " + key + "= in " + opts);
        }
        StringBuilder sb = new StringBuilder();
        for (int j = at + marker.length(); j < opts.length(); j++) {
            char c = opts.charAt(j);
            if (c == ',') {
                if (j + 1 < opts.length() && opts.charAt(j + 1) == ',') {
                    sb.append(',');
                    j++;
                    continue;
                }
                break;
            }
            sb.append(c);
        }
        return sb.toString();
    }
}
