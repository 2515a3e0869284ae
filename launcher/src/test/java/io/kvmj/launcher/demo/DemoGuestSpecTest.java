package io.kvmj.launcher.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvmj.core.host.AccelRecommendation;
import io.kvmj.core.model.Accelerator;
import io.kvmj.core.model.CacheMode;
import io.kvmj.core.model.GuestSpec;
import io.kvmj.core.model.NinePShare;
import io.kvmj.core.host.HostEnvironment;
import io.kvmj.launcher.AcceleratorPolicy;
import io.kvmj.launcher.LaunchOptions;
import io.kvmj.launcher.LaunchPlan;
import io.kvmj.launcher.Launcher;
import io.kvmj.launcher.testutil.TestRuntime;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo guest as a typed GuestSpec, planned by the launcher (no QEMU started). */
class DemoGuestSpecTest {
    private static final AcceleratorPolicy NO_KVM = AcceleratorPolicy.fromRecommendation(
        () -> AccelRecommendation.tcg("no vmx/svm (test)"));

    @TempDir
    Path tmp;

    private PreparedDemo prepared(Path work, DiskCacheMode cache) throws IOException {
        Files.createDirectories(work.resolve("share"));
        Path kernel = Files.writeString(work.resolve("vmlinuz"), "k");
        Files.writeString(work.resolve("initrd.img"), "i");
        Files.writeString(work.resolve("scratch.qcow2"), "d");
        return new PreparedDemo(work, new GuestKernel(kernel, Optional.empty(), GuestKernel.Source.OPTION,
            ModuleSet.builtInOnly("x")), new BusyboxLocator.Busybox(Path.of("/bin/busybox"), "host"),
            work.resolve("initrd.img"), work.resolve("scratch.qcow2"), cache, work.resolve("share"), Accelerator.AUTO,
            new DemoExpectations("p", 4096, "kvmjshare", "f", "c"), false);
    }

    @Test
    void launcherPlansDiskShareKernelNoRebootAndTheProbedAcceleratorWithCommasEscaped() throws IOException {
        TestRuntime.use();
        Path work = tmp.resolve("a,b");
        PreparedDemo d = prepared(work, new DiskCacheMode(CacheMode.WRITEBACK, "tmpfs (test)"));
        LaunchPlan plan = Launcher.create(LaunchOptions.defaults(), NO_KVM).plan(d.guestSpec("demo-spec-test"));
        List<String> a = plan.guestArgs();
        assertEquals("tcg", plan.accelerator().accelerator());
        assertTrue(plan.accelerator().reason().contains("no vmx/svm (test)"), plan.accelerator().reason());
        assertEquals("tcg", a.get(a.indexOf("-accel") + 1));
        assertEquals(1, a.stream().filter("-accel"::equals).count(), "resolved, not QEMU's kvm:tcg fallback: " + a);
        assertEquals("type=pc", a.get(a.indexOf("-machine") + 1));
        assertEquals("max", a.get(a.indexOf("-cpu") + 1));
        assertEquals("size=256M", a.get(a.indexOf("-m") + 1));
        assertTrue(a.contains("-no-reboot") && a.contains("-nodefaults"), a.toString());
        assertEquals(work.resolve("vmlinuz").toString(), a.get(a.indexOf("-kernel") + 1));
        assertEquals(work.resolve("initrd.img").toString(), a.get(a.indexOf("-initrd") + 1));
        String append = a.get(a.indexOf("-append") + 1);
        assertTrue(append.startsWith("console=ttyS0 ") && append.contains(d.expectations().kernelParameters())
            && append.contains(" kvmj.mnt=/mnt/kvmjshare kvmj.mntopts=trans=virtio,version=9p2000.L"), append);
        String file = a.stream().filter(s -> s.startsWith("driver=file,")).findFirst().orElseThrow();
        assertTrue(file.contains("filename=" + tmp + "/a,,b/scratch.qcow2") && file.contains("cache.direct=off"), file);
        assertTrue(a.stream().anyMatch(s -> s.startsWith("driver=qcow2,node-name=scratch-fmt")), a.toString());
        assertTrue(a.contains("virtio-blk-pci,id=scratch,drive=scratch-fmt,write-cache=on"), a.toString());
        String fsdev = a.get(a.indexOf("-fsdev") + 1);
        assertTrue(fsdev.contains("path=" + tmp + "/a,,b/share") && fsdev.contains("security_model=mapped-xattr"), fsdev);
        assertTrue(a.stream().anyMatch(s -> s.startsWith("virtio-9p-pci,") && s.endsWith("mount_tag=kvmjshare")),
            a.toString());
        assertTrue(plan.argv().contains("-serial"), "the launcher adds the console");
    }

    @Test
    void cacheNoneRendersODirectAndTcgIsHonoured() throws IOException {
        Assumptions.assumeTrue(HostEnvironment.system().supportsDirectIo(tmp), "temp dir without O_DIRECT");
        PreparedDemo d = prepared(tmp.resolve("w"), DiskCacheMode.probe(tmp)).withAccelerator(Accelerator.TCG);
        assertEquals(CacheMode.NONE, d.diskCache().mode(), d.diskCache().reason());
        GuestSpec spec = d.guestSpec("demo-spec-none");
        assertEquals(Accelerator.TCG, spec.accelerator());
        assertEquals(CacheMode.NONE, spec.disks().get(0).cache());
        LaunchPlan plan = Launcher.create(LaunchOptions.defaults(), AcceleratorPolicy.fromRecommendation(() -> {
            throw new AssertionError("TCG requested: the host probe must not be asked");
        })).plan(spec);
        assertEquals("tcg", plan.accelerator().accelerator());
        assertTrue(plan.guestArgs().stream().anyMatch(s -> s.startsWith("driver=file,") && s.contains("cache.direct=on")),
            plan.guestArgs().toString());
    }

    @Test
    void withoutODirectTheDiskFallsBackToWritebackAndSaysWhy() {
        DiskCacheMode m = DiskCacheMode.probe(tmp, directIo(false));
        assertEquals(CacheMode.WRITEBACK, m.mode());
        assertTrue(m.reason().contains(tmp.toString()) && m.reason().contains("rejects O_DIRECT")
            && m.reason().contains("cache=writeback"), m.reason());
        assertEquals("writeback", m.qemuName());
        DiskCacheMode ok = DiskCacheMode.probe(tmp, directIo(true));
        assertEquals(CacheMode.NONE, ok.mode());
        assertTrue(ok.reason().contains("supports O_DIRECT"), ok.reason());
    }

    /** The real host, except for the O_DIRECT answer (tmpfs accepts O_DIRECT on recent kernels, so no real dir is sure to refuse). */
    private static HostEnvironment directIo(boolean works) {
        return new HostEnvironment(Path.of("/")) {
            @Override
            public boolean supportsDirectIo(Path path) {
                return works;
            }
        };
    }

    @Test
    void initMountsTheShareExactlyAsTheModelsMountCommandAndLoadsItsModules() throws IOException {
        PreparedDemo d = prepared(tmp.resolve("w"), new DiskCacheMode(CacheMode.WRITEBACK, "test"));
        NinePShare share = d.share();
        String line = Initramfs.demoInitScript().lines().filter(l -> l.contains("mount -t 9p")).findFirst()
            .orElseThrow();
        String mount = line.substring(line.indexOf("mount -t 9p"), line.indexOf(" 2>>"))
            .replace("\"$opts\"", share.mountOptions()).replace("\"$tag\"", share.tag())
            .replace("\"$mnt\"", share.guestMountPoint());
        assertEquals(share.mountCommand(), mount);
        String cmdline = d.kernelCmdline();
        assertTrue(cmdline.contains(" kvmj.tag=" + share.tag() + " ") && cmdline.contains(" kvmj.mnt="
            + share.guestMountPoint() + " ") && cmdline.endsWith(" kvmj.mntopts=" + share.mountOptions()), cmdline);
        assertEquals(NinePShare.GUEST_MODULES, ModuleResolver.DEMO_MODULES.subList(
            ModuleResolver.DEMO_MODULES.size() - NinePShare.GUEST_MODULES.size(), ModuleResolver.DEMO_MODULES.size()));
        assertFalse(ModuleResolver.DEMO_MODULES.isEmpty());
    }
}
