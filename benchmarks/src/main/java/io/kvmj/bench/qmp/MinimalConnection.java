package io.kvmj.bench.qmp;

import java.io.IOException;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/** JMH state: the minimal blocking client's connection, on the minimal socket of the shared QEMU. */
@State(Scope.Thread)
public class MinimalConnection {
    QmpTarget target;
    MinimalQmpClient client;

    @Setup(Level.Trial)
    public void setup() throws IOException {
        target = QmpTarget.acquire();
        client = MinimalQmpClient.connect(target.socket(QmpTarget.MINIMAL));
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        client.close();
        target.close();
    }
}
