package io.kvmj.bench.qmp;

import io.kvmj.qmp.QmpClient;
import io.kvmj.qmp.QmpClientOptions;
import java.io.IOException;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/** JMH state: the kvmj Netty client's connection, on the kvmj socket of the same shared QEMU. */
@State(Scope.Thread)
public class KvmjConnection {
    QmpTarget target;
    QmpClient client;

    @Setup(Level.Trial)
    public void setup() throws IOException {
        target = QmpTarget.acquire();
        client = QmpClient.open(target.socket(QmpTarget.KVMJ), options());
    }

    /** The client's options: the defaults. */
    QmpClientOptions options() {
        return QmpClientOptions.defaults();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        client.close();
        target.close();
    }
}
