package io.kvmj.bench.peers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvmj.bench.report.Figure;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The peer drivers' output protocol and the figures made of it (best direct peer, libvirt's control, targets). */
class QmpPeersTest {

    private static PeerRun run(long p50us, double thr1) {
        StringBuilder sb = new StringBuilder("lat");
        for (int i = 0; i < 100; i++) {
            sb.append(' ').append(i < 50 ? p50us * 1000 - 1 : i == 99 ? p50us * 3000 : p50us * 1000);
        }
        return PeerRun.parse(sb + "\nthr 1 " + (long) thr1 + " 1000000000\nthr 8 10 2000000000\n");
    }

    @Test
    void parsesLatenciesAndThroughput() {
        PeerRun r = PeerRun.parse("lat 300000 100000 200000\nthr 1 500 500000000\nnoise\n");
        assertEquals(200.0, r.percentileMicros(50));
        assertEquals(300.0, r.percentileMicros(99));
        assertEquals(1000.0, r.throughput().get(1));
        assertThrows(IllegalArgumentException.class, () -> PeerRun.parse("thr 1 2 3\n"));
    }

    @Test
    void kvmjIsComparedWithTheBestDirectPeerAndLibvirtWithItsControl() {
        List<QmpPeer> peers = List.of(
                new QmpPeer("minimal", "minimal", "minimal Java", true, List.of(), "a"),
                new QmpPeer("kvmj", "kvmj QmpClient.call()", "kvmj", false, List.of(), "b"),
                new QmpPeer("python", "python", "Python", true, List.of(), "c"),
                new QmpPeer("libvirt", "libvirt", "libvirt", false, List.of(), "u#d"),
                new QmpPeer("libvirt-control", "control", "control", false, List.of(), "e"));
        Map<String, List<PeerRun>> runs = new LinkedHashMap<>();
        runs.put("minimal", List.of(run(300, 2000)));
        runs.put("kvmj", List.of(run(315, 2100)));
        runs.put("python", List.of(run(250, 1500)));
        runs.put("libvirt", List.of(run(5000, 60)));
        runs.put("libvirt-control", new ArrayList<>(List.of(run(1000, 400))));
        List<Figure> fs = QmpPeers.figures(peers, runs, 1);
        Figure kvmjP50 = fs.stream().filter(f -> f.name().equals("query-status p50 — kvmj QmpClient.call()"))
                .findFirst().orElseThrow();
        assertEquals(250.0, kvmjP50.baselineValue(), 0.01);   // python is the best direct peer
        assertEquals(1.05, kvmjP50.target());
        assertEquals("kvmj", kvmjP50.series());
        Figure lv = fs.stream().filter(f -> f.name().equals("query-status p50 — libvirt")).findFirst().orElseThrow();
        assertEquals(1000.0, lv.baselineValue(), 0.01);
        assertEquals(5.0, lv.ratio(), 1e-3);
        Figure thr = fs.stream().filter(f -> f.name().equals("throughput, 1 in flight — kvmj QmpClient.execute() "
                + "futures")).findFirst().orElseThrow();
        assertEquals(2000.0, thr.baselineValue());
        assertTrue(thr.meetsTarget());
    }
}
