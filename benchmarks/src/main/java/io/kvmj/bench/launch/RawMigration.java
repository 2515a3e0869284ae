package io.kvmj.bench.launch;

import io.kvmj.bench.qmp.MinimalQmpClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The baseline of the migration figures: what a minimal script does by hand. It starts a bare QEMU with the same
 * argv kvmj would run for the destination (paths moved to a scratch directory) plus {@code -incoming unix:…},
 * then on the source's QMP socket sends the same capabilities and parameters as kvmj, {@code migrate}, and polls
 * {@code query-migrate} every 100 ms until {@code completed}; no JSON parsing beyond a regex for the figures.
 */
final class RawMigration {
    private static final Pattern TOTAL = Pattern.compile("\"total-time\":\\s*(\\d+)");
    private static final Pattern DOWNTIME = Pattern.compile("\"downtime\":\\s*(\\d+)");
    private static final Pattern TRANSFERRED = Pattern.compile("\"transferred\":\\s*(\\d+)");

    /** A finished raw migration: wall time from spawning the destination to the destination running. */
    record Result(double wallMs, long totalTimeMs, long downtimeMs, long transferredBytes, Process destination,
                  Path destinationQmp) {
    }

    private RawMigration() {
    }

    /**
     * Migrates the QEMU whose QMP server socket is {@code sourceQmp} into a new bare QEMU started from
     * {@code kvmjDestinationArgv} (rewritten into {@code scratch}); quits the source. Past {@code timeout} it sends
     * {@code migrate_cancel}, kills the destination and throws.
     */
    static Result run(Path sourceQmp, List<String> kvmjDestinationArgv, Path scratch, Duration timeout)
            throws Exception {
        long t0 = System.nanoTime();
        KvmjLaunch.Rewritten r = KvmjLaunch.rewrite(kvmjDestinationArgv, scratch);
        Path sock = scratch.resolve("mig.sock");
        List<String> argv = new ArrayList<>(r.argv());
        argv.addAll(List.of("-incoming", "unix:" + sock));
        Process dest = new ProcessBuilder(argv).redirectErrorStream(true)
                .redirectOutput(scratch.resolve("qemu.log").toFile()).start();
        while (!Files.exists(sock)) {
            if (!dest.isAlive()) {
                throw new IOException("raw destination exited: " + Files.readString(scratch.resolve("qemu.log")));
            }
            Thread.sleep(5);
        }
        String last;
        try (MinimalQmpClient src = MinimalQmpClient.connect(sourceQmp)) {
            src.execute("{\"execute\":\"migrate-set-capabilities\",\"arguments\":{\"capabilities\":["
                    + "{\"capability\":\"auto-converge\",\"state\":false},"
                    + "{\"capability\":\"postcopy-ram\",\"state\":false},"
                    + "{\"capability\":\"pause-before-switchover\",\"state\":false}]}}");
            src.execute("{\"execute\":\"migrate-set-parameters\",\"arguments\":{\"max-bandwidth\":1099511627776}}");
            check(src.execute("{\"execute\":\"migrate\",\"arguments\":{\"uri\":\"unix:" + sock + "\"}}"));
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                last = src.execute("{\"execute\":\"query-migrate\"}");
                if (last.contains("\"status\": \"completed\"") || last.contains("\"status\":\"completed\"")) {
                    // QEMU fills in total-time and downtime just before the source enters postmigrate
                    for (int i = 0; i < 1000 && !src.execute("{\"execute\":\"query-status\"}").contains("postmigrate");
                            i++) {
                        Thread.sleep(2);
                    }
                    last = src.execute("{\"execute\":\"query-migrate\"}");
                    break;
                }
                if (last.contains("\"failed\"") || last.contains("\"cancelled\"")) {
                    dest.destroyForcibly();
                    throw new IOException("raw migration failed: " + last);
                }
                if (System.nanoTime() > deadline) {
                    src.execute("{\"execute\":\"migrate_cancel\"}");
                    dest.destroyForcibly();
                    throw new IOException("raw migration did not complete in " + timeout.toSeconds() + " s: " + last);
                }
                Thread.sleep(100);
            }
        }
        Path destQmp = r.serverQmp();
        try (MinimalQmpClient d = MinimalQmpClient.connect(destQmp)) {
            while (!d.execute("{\"execute\":\"query-status\"}").contains("\"running\": true")) {
                Thread.sleep(10);
            }
        }
        double wall = (System.nanoTime() - t0) / 1e6;
        try (MinimalQmpClient src = MinimalQmpClient.connect(sourceQmp)) {
            src.execute("{\"execute\":\"quit\"}");
        } catch (IOException e) {
            // the source may close the socket before replying to quit
        }
        return new Result(wall, number(TOTAL, last), number(DOWNTIME, last), number(TRANSFERRED, last), dest,
                destQmp);
    }

    private static void check(String reply) throws IOException {
        if (reply.contains("\"error\"")) {
            throw new IOException("QMP error: " + reply);
        }
    }

    private static long number(Pattern p, String json) {
        Matcher m = p.matcher(json);
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }
}
