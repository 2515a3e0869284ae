package io.kvmj.bench.peers;

import io.kvmj.bench.qmp.MinimalQmpClient;
import io.kvmj.qmp.QmpClient;
import io.kvmj.qmp.QmpClientOptions;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The Java peer drivers of the QMP peer comparison ({@link QmpPeers}), one process per run like the Go and
 * Python drivers, all speaking the same protocol on stdout:
 *
 * <pre>
 * java -cp kvmj-benchmarks.jar io.kvmj.bench.peers.QmpDriverMain CLIENT TARGET WARMUP_MS LATENCY_MS THROUGHPUT_MS K1,K2,...
 *   CLIENT: minimal | kvmj | kvmjNoPoll | kvmjDirect | libvirt      TARGET: a QMP socket path, or URI#DOMAIN for libvirt
 * lat &lt;ns&gt; &lt;ns&gt; ...        query-status round trips (System.nanoTime around each call) after WARMUP_MS of calls
 * thr &lt;K&gt; &lt;commands&gt; &lt;ns&gt;  K commands in flight for THROUGHPUT_MS (pipelined, futures, or K threads)
 * </pre>
 */
public final class QmpDriverMain {

    static final String QUERY_STATUS = "{\"execute\":\"query-status\"}";

    private QmpDriverMain() {
    }

    /** One client: a blocking round trip and K commands in flight. */
    interface Driver extends AutoCloseable {
        void call() throws Exception;

        /** Sends {@code k} commands before awaiting their replies; returns when all are answered. */
        void inFlight(int k) throws Exception;

        /** True when {@link #inFlight} uses threads (each looping until {@code endNanos}) instead of batches. */
        default boolean threaded() {
            return false;
        }
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 6) {
            System.err.println("usage: QmpDriverMain minimal|kvmj|kvmjNoPoll|kvmjDirect|libvirt TARGET WARMUP_MS LATENCY_MS "
                    + "THROUGHPUT_MS K1,K2,...");
            System.exit(2);
        }
        long warm = Long.parseLong(args[2]) * 1_000_000L;
        long latNs = Long.parseLong(args[3]) * 1_000_000L;
        long thrNs = Long.parseLong(args[4]) * 1_000_000L;
        try (Driver d = open(args[0], args[1])) {
            for (long end = System.nanoTime() + warm; System.nanoTime() < end; ) {
                d.call();
            }
            long[] lat = new long[1 << 16];
            int n = 0;
            for (long end = System.nanoTime() + latNs; System.nanoTime() < end && n < lat.length; ) {
                long t0 = System.nanoTime();
                d.call();
                lat[n++] = System.nanoTime() - t0;
            }
            StringBuilder sb = new StringBuilder(n * 8).append("lat");
            for (int i = 0; i < n; i++) {
                sb.append(' ').append(lat[i]);
            }
            List<String> out = new ArrayList<>(List.of(sb.toString()));
            for (String ks : args[5].split(",")) {
                int k = Integer.parseInt(ks);
                long t0 = System.nanoTime();
                long end = t0 + thrNs;
                long done = d.threaded() ? threaded(d, k, end) : batched(d, k, end);
                out.add("thr " + k + " " + done + " " + (System.nanoTime() - t0));
            }
            PrintStream ps = System.out;
            out.forEach(ps::println);
            ps.flush();
        }
        System.exit(0);   // the kvmj client's and libvirt's non-daemon threads must not keep the JVM
    }

    private static long batched(Driver d, int k, long end) throws Exception {
        long done = 0;
        while (System.nanoTime() < end) {
            d.inFlight(k);
            done += k;
        }
        return done;
    }

    private static long threaded(Driver d, int k, long end) throws Exception {
        AtomicLong done = new AtomicLong();
        List<Thread> ts = new ArrayList<>();
        Exception[] failure = new Exception[1];
        for (int i = 0; i < k; i++) {
            Thread t = new Thread(() -> {
                try {
                    while (System.nanoTime() < end) {
                        d.call();
                        done.incrementAndGet();
                    }
                } catch (Exception e) {
                    failure[0] = e;
                }
            });
            t.start();
            ts.add(t);
        }
        for (Thread t : ts) {
            t.join();
        }
        if (failure[0] != null) {
            throw failure[0];
        }
        return done.get();
    }

    static Driver open(String client, String target) throws Exception {
        return switch (client) {
            case "minimal" -> minimal(Path.of(target));
            case "kvmj" -> kvmj(Path.of(target), QmpClientOptions.defaults());
            case "kvmjNoPoll" -> kvmj(Path.of(target), QmpClientOptions.builder().busyPoll(Duration.ZERO).build());
            case "kvmjDirect" -> kvmj(Path.of(target), QmpClientOptions.builder().completionExecutor(Runnable::run)
                    .build());
            case "libvirt" -> LibvirtDriver.open(target);
            default -> throw new IllegalArgumentException("unknown client " + client);
        };
    }

    private static Driver minimal(Path socket) throws Exception {
        MinimalQmpClient c = MinimalQmpClient.connect(socket);
        return new Driver() {
            @Override
            public void call() throws Exception {
                c.execute(QUERY_STATUS);
            }

            @Override
            public void inFlight(int k) throws Exception {
                c.pipelined(QUERY_STATUS, k);
            }

            @Override
            public void close() throws Exception {
                c.close();
            }
        };
    }

    private static Driver kvmj(Path socket, QmpClientOptions options) {
        QmpClient c = QmpClient.open(socket, options);
        return new Driver() {
            @Override
            public void call() {
                c.call("query-status");
            }

            @Override
            public void inFlight(int k) {
                @SuppressWarnings("unchecked")
                CompletableFuture<?>[] fs = new CompletableFuture[k];
                for (int i = 0; i < k; i++) {
                    fs[i] = c.execute("query-status");
                }
                CompletableFuture.allOf(fs).join();
            }

            @Override
            public void close() {
                c.close();
            }
        };
    }
}
