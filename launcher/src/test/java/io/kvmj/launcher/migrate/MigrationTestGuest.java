package io.kvmj.launcher.migrate;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kvmj.core.model.Accelerator;
import io.kvmj.core.model.CpuModel;
import io.kvmj.core.model.DiskFormat;
import io.kvmj.core.model.DiskSpec;
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
import io.kvmj.launcher.testutil.Requirements;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.MatchResult;

/**
 * A small busybox guest for migration tests: /init writes a random marker into a tmpfs, starts a loop that writes
 * a counter every second (by rename: a probe never reads a half-written file), and then runs each console line as
 * a shell command. {@link #probe} asks for both.
 */
public final class MigrationTestGuest {
    private static final String INIT = """
            #!/bin/sh
            . /lib/kvmj/init-common.sh
            load_modules
            mkdir -p /run && mount -t tmpfs tmpfs /run
            echo "%s" > /run/marker
            ( i=0; while :; do i=$((i+1)); echo $i > /run/c.new; mv /run/c.new /run/counter; sleep 1; done ) &
            echo "KVMJ-MIG: ready"
            while read -r line; do eval "$line"; done
            """;
    /** The kernel command line. */
    public static final String APPEND = "console=ttyS0 panic=-1 quiet loglevel=0 rdinit=/init";
    /** A migration-safe named CPU model (libvirt's default for TCG domains), for every guest that moves. */
    public static final CpuModel CPU = CpuModel.named("qemu64");
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
        Initramfs.write(initrd, busybox.path(), kernel.modules(), INIT.formatted(marker)); // virtio_blk for /dev/vda
    }

    /**
     * The guest's spec: q35 with two spare root ports for hot-plug, TCG, 1 vCPU, 192 MiB, no disk, no share; CPU model
     * {@link #CPU} ({@code -cpu max} guests crashed after moves on a loaded host: {@code Migratability#warnings}).
     */
    GuestSpec spec(String name) {
        return GuestSpec.builder(name).machine(MachineType.Q35).hotplugSlots(2).accelerator(Accelerator.TCG).cpus(1)
                .cpu(CPU)
                .memoryMiB(192)
                .noReboot(true)
                .kernel(KernelBoot.of(kernel.kernel(), initrd, APPEND))
                .build();
    }

    /** {@link #spec(String)} with a qcow2 disk {@code d0} on virtio-blk ({@code /dev/vda} in the guest). */
    GuestSpec spec(String name, Path qcow2) {
        return spec(name).toBuilder().disk(DiskSpec.file("d0", qcow2).format(DiskFormat.QCOW2).build()).build();
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
        return probe(GuestConsole.of(g));
    }

    static Probe probe(GuestConsole c) {
        int n = NONCE.incrementAndGet();
        c.send(probeCommand(n));
        MatchResult m = c.await(PROBE_REPLY.formatted(n), Duration.ofSeconds(120));
        return new Probe(m.group(1), Long.parseLong(m.group(2)));
    }

    /** The marker is intact and the counter loop still runs (a later probe sees a larger count). */
    void assertAlive(Guest g) {
        assertAlive(GuestConsole.of(g));
    }

    /** {@link #assertAlive(Guest)} over any console. */
    void assertAlive(GuestConsole c) {
        Probe a = probe(c);
        assertEquals(marker, a.marker(), "marker on " + c.name());
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        Probe b;
        do {
            sleep(1100);
            b = probe(c);
        } while (b.counter() <= a.counter() && System.nanoTime() < deadline);
        if (b.counter() <= a.counter()) {
            throw new AssertionError("counter did not advance on " + c.name() + ": " + a + " then " + b);
        }
    }

    /**
     * The guest writes {@code text} (no spaces or quotes) at 512-byte sector {@code sector} of /dev/vda with
     * {@code conv=fsync}: a flush reaches QEMU, so qcow2 metadata is on the host file too ({@code sync} alone writes
     * a raw block device's pages without a flush).
     */
    static void writeDisk(GuestConsole c, int sector, String text) {
        int n = NONCE.incrementAndGet();
        c.send("printf %s " + text + " | dd of=/dev/vda bs=512 seek=" + sector + " conv=notrunc,fsync 2>/dev/null; "
                + "echo W$((" + n + "))-done\n"); // $((n)): the echoed command line does not match
        c.await("W" + n + "-done", Duration.ofSeconds(120));
    }

    /** What the guest reads at sector {@code sector} of /dev/vda, page cache dropped, NULs removed. */
    static String readDisk(GuestConsole c, int sector) {
        int n = NONCE.incrementAndGet();
        c.send("echo 3 > /proc/sys/vm/drop_caches; echo \"R$((" + n + ")) [$(dd if=/dev/vda bs=512 skip=" + sector
                + " count=1 2>/dev/null | tr -d '\\000')]\"\n");
        return c.await("R" + n + " \\[([^\\]]*)\\]", Duration.ofSeconds(120)).group(1);
    }

    /** The guest fills {@code mib} MiB of /dev/vda from sector 2048 on with random data (a mirror has work). */
    static void fillDisk(GuestConsole c, int mib) {
        int n = NONCE.incrementAndGet();
        c.send("dd if=/dev/urandom of=/dev/vda bs=1M seek=1 count=" + mib + " conv=fsync 2>/dev/null; echo F$((" + n
                + "))-done\n");
        c.await("F" + n + "-done", Duration.ofSeconds(240));
    }

    /**
     * What the guest reads at the start of each hot-plugged disk ({@code /dev/vd[b-z]}, page cache dropped), once
     * {@code count} of them are there (the guest's PCIe hot-plug driver adds them a moment after QEMU does).
     */
    static java.util.Set<String> readHotplugged(GuestConsole c, int count) {
        int n = NONCE.incrementAndGet();
        c.send("i=0; while [ $(ls /sys/block | grep -c '^vd[b-z]') -ne " + count + " ] && [ $i -lt 600 ]; do usleep "
                + "100000; i=$((i+1)); done; echo 3 > /proc/sys/vm/drop_caches; echo \"H$((" + n + ")) [$(for d in "
                + "$(ls /sys/block | grep '^vd[b-z]'); do dd if=/dev/$d bs=512 count=1 2>/dev/null | head -c 16; "
                + "echo -n ' '; done)]\"\n");
        String heads = c.await("H" + n + " \\[([^\\]]*)\\]", Duration.ofSeconds(120)).group(1);
        return new java.util.TreeSet<>(java.util.Arrays.asList(heads.strip().split(" +")));
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
