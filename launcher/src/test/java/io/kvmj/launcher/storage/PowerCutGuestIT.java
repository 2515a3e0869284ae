package io.kvmj.launcher.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvmj.core.model.Accelerator;
import io.kvmj.core.model.CacheMode;
import io.kvmj.core.model.DiskFormat;
import io.kvmj.core.model.DiskSpec;
import io.kvmj.core.model.GuestSpec;
import io.kvmj.core.model.MachineType;
import io.kvmj.launcher.Guest;
import io.kvmj.launcher.HowEnded;
import io.kvmj.launcher.LaunchOptions;
import io.kvmj.launcher.Launcher;
import io.kvmj.launcher.ShutdownResult;
import io.kvmj.launcher.demo.BusyboxLocator;
import io.kvmj.launcher.demo.GuestKernel;
import io.kvmj.launcher.demo.Initramfs;
import io.kvmj.launcher.demo.KvmjCache;
import io.kvmj.launcher.testutil.Requirements;
import io.kvmj.launcher.testutil.TestRuntime;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A power cut per cache mode, as far as a QEMU kill can show one. One demo guest (busybox, TCG) with a small raw disk
 * per cache mode (none, writethrough, directsync, writeback, unsafe) runs a writer per disk: 512-byte records
 * {@code REC <mode> <n>} written with O_DIRECT and {@code fsync} (which sends the device a flush when its write cache
 * is on), printing {@code SYNCED <mode> <n>} only after both returned. Once every disk has synced
 * {@value #RECORDS_BEFORE_KILL} records, QEMU is SIGKILLed mid-run. Then, per disk: which synced records were still
 * dirty in the host page cache ({@code cachestat(2)}: what a host power loss would lose; the page shared with the
 * record in flight at the kill is left out, since that unflushed write may dirty it again), whether every synced record
 * is intact in the raw image read from the host, and, after a second boot on the same disks, whether the guest reads
 * them all back.
 *
 * <p>A QEMU kill leaves the host page cache alive, so every mode keeps its synced records here; the dirty-page count is
 * the part that tells the modes apart. Asserted: for none, writethrough, directsync and writeback every synced record
 * is intact (host and guest) and none of them was dirty in the host page cache at the kill; for unsafe (which ignores
 * flushes) the numbers are printed, not asserted.
 */
class PowerCutGuestIT {
    private static final int RECORDS_BEFORE_KILL = 20;
    private static final int SECTOR = 512;
    private static final int PAGE = 4096;
    private static final List<CacheMode> MODES = List.of(CacheMode.NONE, CacheMode.WRITETHROUGH, CacheMode.DIRECTSYNC,
        CacheMode.WRITEBACK, CacheMode.UNSAFE);
    private static final String MARK = "KVMJ-PC: ";
    private static final String INIT = """
        #!/bin/sh
        . /lib/kvmj/init-common.sh
        load_modules
        i=0; while [ "$(ls -d /sys/block/vd* 2>/dev/null | wc -l)" -lt 5 ] && [ $i -lt 300 ]; do usleep 100000; i=$((i+1)); done
        writer() {
          n=1
          while [ $n -le 4000 ]; do
            printf 'REC %s %06d\\n' "$2" "$n" | dd of=/dev/$1 bs=512 seek=$n count=1 conv=sync,notrunc,fsync oflag=direct 2>/tmp/err.$1 \\
              || { echo "KVMJ-PC: ERROR $2 $n $(cat /tmp/err.$1)"; return; }
            echo "KVMJ-PC: SYNCED $2 $n"
            n=$((n+1))
          done
        }
        check() {
          r=$(dd if=/dev/$1 bs=512 skip=1 count=4000 iflag=direct 2>/dev/null | tr -d '\\000' \\
            | awk -v s="$2" 'BEGIN { k = 0; bad = 0 } { if ($0 == sprintf("REC %s %06d", s, k + 1)) k++; else bad++ } END { print k, bad }')
          echo "KVMJ-PC: CHECK $2 $r"
        }
        for b in /sys/block/vd*; do
          d=${b##*/}; s=$(cat $b/serial)
          if [ "$(arg pcmode)" = check ]; then check $d $s; else writer $d $s & fi
        done
        if [ "$(arg pcmode)" = check ]; then echo "KVMJ-PC: checked"; poweroff -f; fi
        echo "KVMJ-PC: writing"
        wait
        sleep 3600
        """;
    private static final Pattern SYNCED = Pattern.compile(Pattern.quote(MARK) + "SYNCED ([a-z]+) (\\d+)");
    private static final Pattern CHECK = Pattern.compile(Pattern.quote(MARK) + "CHECK ([a-z]+) (\\d+) (\\d+)");

    @TempDir
    Path dir;

    private static String name(CacheMode m) {
        return m.qemuName().toLowerCase(Locale.ROOT);
    }

    @Test
    void everySyncedRecordSurvivesAQemuKillPerCacheMode() throws Exception {
        Path qemu = Requirements.qemu();
        GuestKernel kernel = Requirements.guestKernel();
        TestRuntime.use();
        BusyboxLocator.Busybox busybox = BusyboxLocator.locate(KvmjCache.defaultRoot(System.getenv()));
        Path initrd = dir.resolve("initrd.img");
        Initramfs.write(initrd, busybox.path(), kernel.modules(), INIT);
        Map<CacheMode, Path> images = new LinkedHashMap<>();
        for (CacheMode m : MODES) {
            Path img = dir.resolve(name(m) + ".raw");
            try (RandomAccessFile f = new RandomAccessFile(img.toFile(), "rw")) {
                f.setLength(4L << 20);
            }
            images.put(m, img);
        }
        Launcher launcher = Launcher.create(LaunchOptions.defaults().withQemuBinary(qemu));

        // boot 1: the writers run until every disk has synced enough records, then QEMU is SIGKILLed
        Map<String, Integer> synced = new LinkedHashMap<>();
        Map<String, HostPageCache.Stat> dirtySynced = new LinkedHashMap<>();
        Guest g = launcher.launch(spec(kernel, initrd, images, "write"));
        try {
            g.awaitConsole(MARK + "writing", Duration.ofSeconds(240));
            long deadline = System.nanoTime() + Duration.ofSeconds(300).toNanos();
            while (true) {
                lastSynced(g.console().text(), synced);
                if (MODES.stream().allMatch(m -> synced.getOrDefault(name(m), 0) >= RECORDS_BEFORE_KILL)) {
                    break;
                }
                assertTrue(System.nanoTime() < deadline, "writers too slow: " + synced + "\n" + tail(g));
                assertTrue(!g.console().text().contains(MARK + "ERROR"), tail(g));
                Thread.sleep(200);
            }
            ShutdownResult killed = g.kill();
            assertEquals(HowEnded.KILLED, killed.how(), killed.toString());
            // what the guest saw synced: the SYNCED lines QEMU had passed on when it died
            lastSynced(g.console().text(), synced);
        } finally {
            g.close();
        }
        // at once after the kill: which synced records are only in dirty host page-cache pages
        for (CacheMode m : MODES) {
            int n = synced.get(name(m));
            long dirty = 0;
            long cached = 0;
            boolean measured = true;
            // a page that also holds record n+1 (in flight at the kill, never flushed) may be dirty by right: the
            // flushed copy of the synced records in it is already on the disk, so only the pages before it count
            long inFlightPage = (long) (n + 1) * SECTOR / PAGE;
            for (int k = 1; k <= n && (long) k * SECTOR / PAGE < inFlightPage; k++) {
                Optional<HostPageCache.Stat> s = HostPageCache.stat(images.get(m), (long) k * SECTOR / PAGE * PAGE, PAGE);
                if (s.isEmpty()) {
                    measured = false;
                    break;
                }
                dirty += s.get().dirty() + s.get().writeback();
                cached += s.get().cached();
            }
            if (measured) {
                dirtySynced.put(name(m), new HostPageCache.Stat(cached, dirty, 0));
            }
        }
        Map<String, Integer> intactOnHost = new LinkedHashMap<>();
        for (CacheMode m : MODES) {
            intactOnHost.put(name(m), contiguousRecords(images.get(m), name(m)));
        }

        // boot 2: the guest reads every disk back
        Guest check = launcher.launch(spec(kernel, initrd, images, "check"));
        Map<String, int[]> guestCheck = new LinkedHashMap<>();
        try {
            check.awaitConsole(MARK + "checked", Duration.ofSeconds(240));
            Matcher c = CHECK.matcher(check.console().text());
            while (c.find()) {
                guestCheck.put(c.group(1), new int[] {Integer.parseInt(c.group(2)), Integer.parseInt(c.group(3))});
            }
            check.awaitExit(Duration.ofSeconds(60));
        } finally {
            check.close();
        }

        StringBuilder report = new StringBuilder("power cut (QEMU SIGKILL) per cache mode:\n");
        for (CacheMode m : MODES) {
            String n = name(m);
            HostPageCache.Stat d = dirtySynced.get(n);
            int[] gc = guestCheck.getOrDefault(n, new int[] {-1, -1});
            report.append(String.format(Locale.ROOT, "  %-12s synced=%d intactOnHost=%d guestReadBack=%d (other lines %d)"
                    + " syncedRecordsInDirtyHostPages=%s syncedRecordsInHostPageCache=%s%n", n, synced.get(n),
                intactOnHost.get(n), gc[0], gc[1], d == null ? "n/a" : d.dirty(), d == null ? "n/a" : d.cached()));
        }
        System.out.print(report);
        for (CacheMode m : MODES) {
            String n = name(m);
            if (m == CacheMode.UNSAFE) {
                continue; // ignores flushes: reported above, not asserted
            }
            assertTrue(intactOnHost.get(n) >= synced.get(n), n + ": a synced record is missing on the host\n" + report);
            assertTrue(guestCheck.containsKey(n) && guestCheck.get(n)[0] >= synced.get(n),
                n + ": the guest did not read back every synced record\n" + report);
            HostPageCache.Stat d = dirtySynced.get(n);
            if (d != null) {
                assertEquals(0, d.dirty(), n + ": synced records were only in dirty host page-cache pages\n" + report);
            }
        }
    }

    private static GuestSpec spec(GuestKernel kernel, Path initrd, Map<CacheMode, Path> images, String mode) {
        GuestSpec.Builder b = GuestSpec.builder("powercut").machine(MachineType.PC).accelerator(Accelerator.TCG)
            .memoryMiB(256).noReboot(true)
            .kernel(kernel.kernel(), initrd, "console=ttyS0 panic=-1 quiet loglevel=3 rdinit=/init pcmode=" + mode);
        int i = 0;
        for (Map.Entry<CacheMode, Path> e : images.entrySet()) {
            b.disk(DiskSpec.file("disk" + i++, e.getValue()).format(DiskFormat.RAW).cache(e.getKey())
                .disposable(e.getKey() == CacheMode.UNSAFE).serial(name(e.getKey())).build());
        }
        return b.build();
    }

    private static void lastSynced(String console, Map<String, Integer> into) {
        Matcher m = SYNCED.matcher(console);
        while (m.find()) {
            into.merge(m.group(1), Integer.parseInt(m.group(2)), Math::max);
        }
    }

    /** The number of records 1..k that are intact (exact text, zero padding) from the start of the image. */
    private static int contiguousRecords(Path image, String mode) throws IOException {
        byte[] all = Files.readAllBytes(image);
        int k = 0;
        while ((k + 2) * SECTOR <= all.length) {
            byte[] want = new byte[SECTOR];
            byte[] text = String.format(Locale.ROOT, "REC %s %06d\n", mode, k + 1).getBytes(StandardCharsets.US_ASCII);
            System.arraycopy(text, 0, want, 0, text.length);
            int off = (k + 1) * SECTOR;
            if (!Arrays.equals(want, Arrays.copyOfRange(all, off, off + SECTOR))) {
                return k;
            }
            k++;
        }
        return k;
    }

    private static String tail(Guest g) {
        List<String> lines = g.console().text().lines().toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
    }
}
