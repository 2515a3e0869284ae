package io.kvmj.bench.peers;

import java.util.ArrayList;
import java.util.List;

/**
 * One client in the QMP peer comparison: how to run its driver (it gets TARGET WARMUP_MS LATENCY_MS
 * THROUGHPUT_MS K1,K2,... appended) and on what.
 *
 * @param id      short id (kvmj, minimal, go-qemu, python, libvirt, libvirt-control, ...)
 * @param label   full label in tables and charts
 * @param series  colour group in the chart
 * @param direct  true when the client talks to QEMU's QMP socket itself (a candidate for "best direct peer")
 * @param command the driver's command line before the common arguments
 * @param target  the QMP socket path, or {@code URI#DOMAIN} for libvirt
 */
record QmpPeer(String id, String label, String series, boolean direct, List<String> command, String target) {

    /** The full command for one run. */
    List<String> argv(int warmupMs, int latencyMs, int throughputMs, String inFlight) {
        List<String> a = new ArrayList<>(command);
        a.addAll(List.of(target, Integer.toString(warmupMs), Integer.toString(latencyMs),
                Integer.toString(throughputMs), inFlight));
        return a;
    }
}
