package io.kvmj.bench.qmp;

import io.kvmj.qmp.QmpClientOptions;
import java.time.Duration;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/** JMH state: a kvmj client that never polls ({@code busyPoll = 0}): every reply wakes two threads up. */
@State(Scope.Thread)
public class KvmjNoPollConnection extends KvmjConnection {
    @Override
    QmpClientOptions options() {
        return QmpClientOptions.builder().busyPoll(Duration.ZERO).build();
    }
}
