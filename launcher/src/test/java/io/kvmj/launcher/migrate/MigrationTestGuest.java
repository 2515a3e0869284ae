package io.kvmj.launcher.migrate;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kvmj.core.model.Accelerator;
import io.kvmj.core.model.GuestSpec;
import io.kvmj.core.model.KernelBoot;
import io.kvmj.core.model.MachineType;
import io.kvmj.launcher.Guest;
import io.kvmj.launcher.demo.BusyboxLocator;
import io.kvmj.launcher.demo.DemoException;
import io.kvmj.launcher.demo.GuestKernel;
import io.kvmj.launcher.demo.Initramfs;
import io.kvmj.launcher.demo.KernelLocator;
import io.kvmj.launcher.demo.KvmjCache;
import io.kvmj.launcher.demo.ModuleSet;
import io.kvmj.launcher.testutil.Requirements;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.MatchResult;

/**
 * A small busybox guest for migration tests: /init writes a random marker into a tmpfs, starts a loop that writes
 * a counter every second, and then runs each console line as a shell command. {@link #probe} asks for both.
 */
public final class MigrationTestGuest {
    private static final String INIT = """
            #!/bin/sh
            . /lib/kvmj/init-common.sh
            mkdir -p /run && mount -t tmpfs tmpfs /run
            echo "%s" > /run/marker
            ( i=0; while :; do i=$((i+1)); echo $i > /run/counter; sleep 1; done ) &
            echo "KVMJ-MIG: ready"
            while read -r line; do eval "$line"; done
            """;
    /** The kernel command line. */
    public static final String APPEND = "console=ttyS0 panic=-1 quiet loglevel=0 rdinit=/init";
    /** What /init prints once marker and counter are set up. */
    public static final String READY = "KVMJ-MIG: ready";
    private static final AtomicInteger NONCE = new AtomicInteger();

    public final String marker = "m" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    public final Path initrd;
    public final GuestKernel kernel;

    public MigrationTestGuest(Path dir) throws Exception {
        try {
            kernel = KernelLocator.forThisHost().locate(null);
        } catch (DemoException e) {
            Requirements.missing("no guest kernel: " + e.getMessage());
            throw e;
        }
        BusyboxLocator.Busybox busybox = BusyboxLocator.locate(KvmjCache.defaultRoot(System.getenv()));
        initrd = dir.resolve("initrd.img");
        Initramfs.write(initrd, busybox.path(), ModuleSet.builtInOnly("migration test"), INIT.formatted(marker));
    }

    /** The guest's spec: pc, TCG, 1 vCPU, 192 MiB, no disk, no share. */
    GuestSpec spec(String name) {
        return GuestSpec.builder(name).machine(MachineType.PC).accelerator(Accelerator.TCG).cpus(1).memoryMiB(192)
                .noReboot(true)
                .kernel(KernelBoot.of(kernel.kernel(), initrd, APPEND))
                .build();
    }

    static void awaitReady(Guest g) {
        g.awaitConsole(READY, Duration.ofSeconds(240));
    }

    /** Asks the guest for marker and counter over the console. */
    /** The console command that prints marker and counter after {@code Q<n>}; {@link #PROBE_REPLY} matches it. */
    public static String probeCommand(int n) {
        return "echo \"Q" + n + " M=$(cat /run/marker) C=$(cat /run/counter)\"\n";
    }

    /** The reply to {@link #probeCommand}: groups marker and counter. */
    public static final String PROBE_REPLY = "Q%d M=(\\w+) C=(\\d+)";

    public static int nonce() {
        return NONCE.incrementAndGet();
    }

    static Probe probe(Guest g) {
        int n = NONCE.incrementAndGet();
        g.send(probeCommand(n));
        MatchResult m = g.awaitConsole(PROBE_REPLY.formatted(n), Duration.ofSeconds(120));
        return new Probe(m.group(1), Long.parseLong(m.group(2)));
    }

    /** The marker is intact and the counter loop still runs (a later probe sees a larger count). */
    void assertAlive(Guest g) {
        Probe a = probe(g);
        assertEquals(marker, a.marker(), "marker on " + g.name());
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        Probe b;
        do {
            sleep(1500);
            b = probe(g);
        } while (b.counter() <= a.counter() && System.nanoTime() < deadline);
        if (b.counter() <= a.counter()) {
            throw new AssertionError("counter did not advance on " + g.name() + ": " + a + " then " + b);
        }
    }

    public static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public record Probe(String marker, long counter) {
    }
}
