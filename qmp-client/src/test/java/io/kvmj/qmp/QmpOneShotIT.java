package io.kvmj.qmp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kvmj.qmp.command.QueryStatus;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link QmpOneShot} against real QEMU ({@code -machine none}), checked against {@link QmpClient} on the same QEMU. */
class QmpOneShotIT {
    private static final Duration T = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    @Test
    void statusErrorsAndABusySocketAsQemuAnswers() throws Exception {
        Path sock = dir.resolve("qmp.sock");
        Path second = dir.resolve("second.sock");
        try (QemuProcess qemu = QemuProcess.start("unix:" + sock + ",server=on,wait=off", dir, "-qmp",
                "unix:" + second + ",server=on,wait=off");
                QmpClient qmp = QmpClient.connect(second, QmpClientOptions.defaults()).get(30, TimeUnit.SECONDS)) {
            assertEquals("running", QmpOneShot.call(sock, new QueryStatus(), T).status());
            qmp.call("stop");
            assertEquals("paused", QmpOneShot.call(sock, new QueryStatus(), T).status());
            assertEquals(qmp.call("query-status"), QmpOneShot.call(sock, "query-status", null, T));
            // one connection after another: QEMU serves the next client once the last one left
            assertEquals(qmp.call("query-version"), QmpOneShot.call(sock, "query-version", null, T));

            // a large real reply read by QmpJson.readTree equals the mapper's reading of the same bytes
            JsonNode schema = QmpOneShot.call(sock, "query-qmp-schema", null, T);
            byte[] bytes = QmpJson.mapper().writeValueAsBytes(schema);
            assertEquals(new ObjectMapper().readTree(bytes), QmpJson.readTree(bytes));
            assertEquals(schema, QmpJson.readTree(bytes));

            QmpErrorException e = assertThrows(QmpErrorException.class,
                    () -> QmpOneShot.call(sock, "no-such-command", null, T));
            assertEquals("CommandNotFound", e.errorClass());

            // the second socket is held by the Netty client: QEMU does not greet a queued one-shot
            assertThrows(QmpGreetingException.class,
                    () -> QmpOneShot.call(second, "query-status", null, Duration.ofMillis(500)));
        }
    }
}
