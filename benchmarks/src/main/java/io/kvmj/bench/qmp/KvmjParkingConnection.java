package io.kvmj.bench.qmp;

import io.kvmj.qmp.QmpClientOptions;
import java.time.Duration;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/** JMH state: a kvmj client whose blocking calls park at once ({@code blockingSpin = 0}), to show what spinning buys. */
@State(Scope.Thread)
public class KvmjParkingConnection extends KvmjConnection {
    @Override
    QmpClientOptions options() {
        return QmpClientOptions.builder().blockingSpin(Duration.ZERO).build();
    }
}
