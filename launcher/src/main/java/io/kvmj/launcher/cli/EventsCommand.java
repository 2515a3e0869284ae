package io.kvmj.launcher.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kvmj.launcher.GuestException;
import io.kvmj.launcher.GuestRegistry;
import io.kvmj.qmp.QmpEvent;
import io.kvmj.qmp.QmpException;
import io.kvmj.qmp.QmpMonitor;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code kvmj events NAME|--socket PATH}: QMP events as JSON lines. */
@Command(name = "events", mixinStandardHelpOptions = true,
        description = {"Stream a guest's QMP events, one JSON object per line "
            + "({\"event\":...,\"data\":...,\"timestamp\":{\"seconds\":...,\"microseconds\":...}}), until QEMU "
            + "exits, --count events were printed, --timeout passed, or Ctrl-C."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:stream ended (QEMU exited, count or timeout reached)", "1:guest not running or no "
            + "connection", "2:bad usage"})
public final class EventsCommand implements java.util.concurrent.Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--socket", paramLabel = "PATH", description = "Connect to this QMP socket instead of a named guest.")
    Path socket;

    @Option(names = "--count", paramLabel = "N", converter = Counts.PositiveInt.class, description = "Exit after N events.")
    Integer count;

    @Option(names = "--timeout", defaultValue = "0", paramLabel = "SECONDS", converter = Counts.NonNegative.class,
            description = "Exit after this many seconds (0 = no limit, the default).")
    long timeout;

    @Parameters(paramLabel = "NAME", arity = "0..1", description = "Guest name (omit with --socket).")
    List<String> args = new ArrayList<>();

    @Override
    public Integer call() throws InterruptedException {
        String connect = ConnectOption.uri(spec);
        if (connect != null) {
            return LibvirtCli.events(this, connect);
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        GuestTarget t;
        try {
            t = GuestTarget.resolve(socket, args, true, true);
        } catch (IllegalArgumentException e) {
            err.println("kvmj events: " + e.getMessage());
            return ExitCodes.USAGE;
        } catch (GuestException e) {
            err.println("kvmj events: " + e.getMessage());
            return ExitCodes.FAILED;
        }
        CountDownLatch done = new CountDownLatch(1);
        AtomicInteger seen = new AtomicInteger();
        Duration connectTimeout = Duration.ofSeconds(10);
        try (QmpMonitor qmp = t.guest == null ? QmpCliCommand.open(t.socket, connectTimeout, "qmp-events")
                : GuestRegistry.connectEvents(t.guest, connectTimeout)) {
            qmp.subscribe(e -> {
                synchronized (out) {
                    out.println(Json.line(toJson(e)));
                    out.flush();
                }
                if (count != null && seen.incrementAndGet() >= count) {
                    done.countDown();
                }
            });
            qmp.closeFuture().whenComplete((v, x) -> done.countDown());
            err.println("kvmj: streaming QMP events of " + t.label);
            err.flush();
            if (timeout > 0) {
                done.await(timeout, TimeUnit.SECONDS);
            } else {
                done.await();
            }
            return ExitCodes.OK;
        } catch (QmpException e) {
            err.println("kvmj events: " + t.label + ": " + e.getMessage());
            return ExitCodes.FAILED;
        }
    }

    static ObjectNode toJson(QmpEvent e) {
        ObjectNode o = Json.object().put("event", e.name());
        if (!e.data().isMissingNode()) {
            o.set("data", e.data());
        }
        if (e.timestamp() != null) {
            o.putObject("timestamp").put("seconds", e.timestamp().getEpochSecond())
                    .put("microseconds", e.timestamp().getNano() / 1000);
        }
        return o;
    }
}
