package io.kvmj.bench.peers;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one driver run printed: its query-status latencies and its commands per second per in-flight count.
 *
 * @param latenciesNs sorted round-trip times in ns
 * @param throughput  commands per second by commands in flight
 */
record PeerRun(long[] latenciesNs, Map<Integer, Double> throughput) {

    /** Parses the driver protocol ({@code lat ns...} and {@code thr K commands ns} lines; others are ignored). */
    static PeerRun parse(String stdout) {
        long[] lat = new long[0];
        Map<Integer, Double> thr = new LinkedHashMap<>();
        for (String line : stdout.split("\n")) {
            String[] f = line.trim().split(" ");
            if (f[0].equals("lat")) {
                lat = Arrays.stream(f, 1, f.length).mapToLong(Long::parseLong).sorted().toArray();
            } else if (f[0].equals("thr") && f.length == 4) {
                double ns = Double.parseDouble(f[3]);
                thr.put(Integer.parseInt(f[1]), ns > 0 ? Long.parseLong(f[2]) / (ns / 1e9) : 0);
            }
        }
        if (lat.length == 0) {
            throw new IllegalArgumentException("driver printed no latencies: "
                    + stdout.substring(0, Math.min(200, stdout.length())));
        }
        return new PeerRun(lat, thr);
    }

    /** The {@code p}-th percentile (nearest rank) in µs. */
    double percentileMicros(double p) {
        int i = (int) Math.ceil(p / 100 * latenciesNs.length) - 1;
        return latenciesNs[Math.max(0, Math.min(latenciesNs.length - 1, i))] / 1e3;
    }
}
