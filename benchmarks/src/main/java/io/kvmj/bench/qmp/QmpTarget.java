package io.kvmj.bench.qmp;

import io.kvmj.bench.BareQemu;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The QEMU the QMP benchmarks talk to. {@link QmpSuite} starts one {@code -machine none} QEMU with two QMP
 * sockets for the whole suite and passes them to the JMH forks in the system property
 * {@value #PROPERTY} ("kvmjSocket,minimalSocket"), so both clients talk to the same process. Run alone,
 * a benchmark starts its own QEMU.
 */
final class QmpTarget implements AutoCloseable {

    static final String PROPERTY = "kvmj.bench.qmp.sockets";
    /** Index of the socket the kvmj client uses. */
    static final int KVMJ = 0;
    /** Index of the socket the minimal client uses. */
    static final int MINIMAL = 1;

    private final BareQemu own;
    private final Path dir;
    private final List<Path> sockets;

    private QmpTarget(BareQemu own, Path dir, List<Path> sockets) {
        this.own = own;
        this.dir = dir;
        this.sockets = sockets;
    }

    /** Uses the suite's QEMU when the property is set, otherwise starts one. */
    static QmpTarget acquire() throws IOException {
        String prop = System.getProperty(PROPERTY);
        if (prop != null && !prop.isBlank()) {
            return new QmpTarget(null, null, List.of(prop.split(",")).stream().map(Path::of).toList());
        }
        return start();
    }

    /** Starts a QEMU with two QMP server sockets in a fresh temporary directory. */
    static QmpTarget start() throws IOException {
        Path dir = Files.createTempDirectory("kvmj-qmpb");
        List<Path> socks = List.of(dir.resolve("kvmj.sock"), dir.resolve("minimal.sock"));
        BareQemu q = BareQemu.startServer(BareQemu.machineNoneArgv(socks), socks.get(0), Duration.ofSeconds(30));
        return new QmpTarget(q, dir, socks);
    }

    Path socket(int index) {
        return sockets.get(index);
    }

    /** The system property value that points forks at this QEMU. */
    String property() {
        return sockets.get(0) + "," + sockets.get(1);
    }

    boolean isAlive() {
        return own == null || own.isAlive();
    }

    @Override
    public void close() throws IOException {
        if (own != null) {
            own.close();
            for (Path s : sockets) {
                Files.deleteIfExists(s);
            }
            Files.deleteIfExists(dir);
        }
    }
}
