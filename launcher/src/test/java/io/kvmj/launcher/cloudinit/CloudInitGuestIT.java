package io.kvmj.launcher.cloudinit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvmj.core.model.Accelerator;
import io.kvmj.core.model.CloudInitSpec;
import io.kvmj.core.model.GuestSpec;
import io.kvmj.launcher.Guest;
import io.kvmj.launcher.LaunchOptions;
import io.kvmj.launcher.Launcher;
import io.kvmj.launcher.demo.BusyboxLocator;
import io.kvmj.launcher.demo.DebianPackages;
import io.kvmj.launcher.demo.DemoException;
import io.kvmj.launcher.demo.GuestKernel;
import io.kvmj.launcher.demo.Initramfs;
import io.kvmj.launcher.demo.KernelLocator;
import io.kvmj.launcher.demo.KernelModule;
import io.kvmj.launcher.demo.KvmjCache;
import io.kvmj.launcher.demo.ModuleResolver;
import io.kvmj.launcher.demo.ModuleSet;
import io.kvmj.launcher.testutil.Requirements;
import io.kvmj.launcher.testutil.TestRuntime;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Linux kernel (Debian's, TCG) reads the seed kvmj attached: the seed CD-ROM (scsi-cd on its own virtio-scsi controller) appears as {@code /dev/sr0},
 * its primary volume descriptor read through the device says {@code cidata} (the label blkid reports; the host's blkid
 * checks the same image in {@link CloudInitSeedIT}), {@code mount -t iso9660} (the kernel's isofs) shows the long names, from
 * the Rock Ridge tree and from the Joliet tree each on its own,, and every file's size and SHA-256 match what kvmj wrote; the medium is read-only. This is what
 * cloud-init's NoCloud datasource does before it parses the files (cloud-init itself runs in a distro image).
 */
class CloudInitGuestIT {
    static final String KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBjGKOr0ejQ+BMNfSU+BvOgtVAws34lBHsiviAyB0zt6 me@host";
    /** virtio-scsi CD-ROM and the ISO 9660 file system (dependencies scsi_mod, cdrom... are resolved). */
    static final List<String> CD_MODULES = List.of("virtio_pci", "virtio_scsi", "sr_mod", "isofs");
    static final String INIT = """
        #!/bin/sh
        . /lib/kvmj/init-common.sh
        load_modules
        echo "KVMJ-CI: modules loaded=$loaded failed=$failed"
        i=0; while [ ! -b /dev/sr0 ] && [ $i -lt 300 ]; do usleep 100000; i=$((i+1)); done
        echo "KVMJ-CI: volume-id [$(dd if=/dev/sr0 bs=1 skip=32808 count=32 2>/dev/null)]"
        mount -t iso9660 -o ro /dev/sr0 /mnt && echo "KVMJ-CI: mounted"
        for f in /mnt/*; do
          echo "KVMJ-CI: file $(basename "$f") $(wc -c < "$f") $(sha256sum < "$f" | cut -d' ' -f1)"
        done
        if touch /mnt/x 2>/dev/null; then echo "KVMJ-CI: writable"; else echo "KVMJ-CI: read-only"; fi
        umount /mnt
        mount -t iso9660 -o ro,nojoliet /dev/sr0 /mnt && echo "KVMJ-CI: rock-ridge $(ls /mnt | tr '\\n' ' ')$(ls -l /mnt/user-data | cut -c1-10)"
        umount /mnt
        mount -t iso9660 -o ro,norock /dev/sr0 /mnt && echo "KVMJ-CI: joliet $(ls /mnt | tr '\\n' ' ')"
        umount /mnt
        echo "KVMJ-CI: end"
        poweroff -f
        """;

    @TempDir
    Path tmp;

    @Test
    void linuxMountsTheSeedAndReadsEveryFile() throws Exception {
        TestRuntime.use();
        Path qemu = Requirements.qemu();
        IsoTools.require("bsdtar", "libarchive-tools");
        GuestKernel kernel;
        try {
            kernel = KernelLocator.forThisHost().locate(null);
        } catch (DemoException e) {
            Requirements.missing("no guest kernel: " + e.getMessage());
            return;
        }
        String release = kernel.release().orElse(null);
        if (release == null) {
            Requirements.missing("guest kernel release unknown: " + kernel.describe());
            return;
        }
        ModuleSet modules = ModuleResolver.resolve(moduleTree(release), CD_MODULES);
        BusyboxLocator.Busybox busybox = BusyboxLocator.locate(KvmjCache.defaultRoot(System.getenv()));
        Path initrd = tmp.resolve("initrd.img");
        Initramfs.write(initrd, busybox.path(), modules, INIT);

        CloudInitSpec ci = CloudInitSpec.builder().rootSshKey(KEY).rootPasswordGenerate(true)
                .networkConfig("version: 2\nethernets: {}\n").build();
        GuestSpec spec = GuestSpec.builder("ci-guest").accelerator(Accelerator.TCG).memoryMiB(256).noReboot(true)
                .kernel(kernel.kernel(), initrd, "console=ttyS0 panic=-1 quiet loglevel=3 rdinit=/init")
                .cloudInit(ci).build();
        Launcher launcher = Launcher.create(LaunchOptions.defaults().withQemuBinary(qemu)
                .withReadyTimeout(Duration.ofSeconds(60)).withShutdownTimeout(Duration.ofSeconds(5)));
        String console;
        Map<String, String> expected = new TreeMap<>();
        try (Guest g = launcher.launch(spec)) {
            Path seed = g.runtimeDir().path().resolve(CloudInitSpec.SEED_FILE);
            for (String f : List.of("meta-data", "user-data", "network-config")) {
                byte[] b = IsoTools.runBytes("bsdtar", "-xOf", seed.toString(), f);
                expected.put(f, b.length + " " + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b)));
            }
            g.awaitConsole("KVMJ-CI: end", Duration.ofSeconds(300));
            console = g.console().text();
        }
        assertTrue(console.contains("KVMJ-CI: modules") && !console.contains("insmod "), console);
        assertTrue(console.contains("KVMJ-CI: volume-id [cidata" + " ".repeat(26) + "]"), console);
        assertTrue(console.contains("KVMJ-CI: mounted"), console);
        Map<String, String> seen = new TreeMap<>();
        Matcher file = Pattern.compile("KVMJ-CI: file (\\S+) (\\d+) ([0-9a-f]{64})").matcher(console);
        while (file.find()) {
            seen.put(file.group(1), file.group(2) + " " + file.group(3));
        }
        assertEquals(expected, seen, console);
        assertTrue(console.contains("KVMJ-CI: read-only"), console);
        // each tree on its own: Rock Ridge (with its PX modes) and Joliet
        assertTrue(console.contains("KVMJ-CI: rock-ridge meta-data network-config user-data -r--r--r--"), console);
        assertTrue(console.contains("KVMJ-CI: joliet meta-data network-config user-data "), console);
    }

    /**
     * A module tree with {@link #CD_MODULES} for {@code release}: the host's {@code /lib/modules/RELEASE}, else
     * those modules from Debian's {@code linux-image-RELEASE} package, kept in the kvmj cache.
     */
    private static Path moduleTree(String release) throws IOException {
        Path host = Path.of("/lib/modules", release);
        if (ModuleResolver.resolve(host, CD_MODULES).missing().isEmpty() && Files.isDirectory(host)) {
            return host;
        }
        // keyed by the module list too: an entry made for another list lacks modules (the seed moved from AHCI to
        // virtio-scsi)
        Path target = KvmjCache.defaultRoot(System.getenv()).resolve("test-modules")
                .resolve(release + "-cdrom-" + String.join("-", CD_MODULES));
        if (Files.isDirectory(target) && ModuleResolver.resolve(target, CD_MODULES).missing().isEmpty()) {
            return target;
        }
        return KvmjCache.installAtomically(target, dir -> {
            Path scratch = Files.createTempDirectory("kvmj-ci-kernel");
            try {
                Path deb = DebianPackages.download("linux-image-" + release, scratch);
                Path root = scratch.resolve("root");
                DebianPackages.extract(deb, root);
                Path tree = root.resolve("lib/modules").resolve(release);
                ModuleSet set = ModuleResolver.resolve(tree, CD_MODULES);
                Files.copy(tree.resolve("modules.builtin"), dir.resolve("modules.builtin"));
                for (KernelModule m : set.modules()) {
                    Path dest = dir.resolve(tree.relativize(m.file()).toString());
                    Files.createDirectories(dest.getParent());
                    Files.copy(m.file(), dest, StandardCopyOption.COPY_ATTRIBUTES);
                }
            } finally {
                KvmjCache.deleteTree(scratch);
            }
        });
    }
}
