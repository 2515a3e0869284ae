package io.kvmj.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvmj.core.host.AccelRecommendation;
import io.kvmj.core.model.Accelerator;
import io.kvmj.core.model.GuestSpec;
import io.kvmj.core.qemu.QemuOpts;
import io.kvmj.launcher.process.RuntimeDir;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Planning (no QEMU): accelerator policy, runtime arguments, nothing claimed. */
class LauncherPlanTest {
    static final AcceleratorPolicy NO_KVM = AcceleratorPolicy.fromRecommendation(
            () -> AccelRecommendation.tcg("vmx/svm absent (test)"));
    static final AcceleratorPolicy KVM_OK = AcceleratorPolicy.fromRecommendation(
            () -> AccelRecommendation.kvm("KVM usable (test)"));

    @TempDir
    Path tmp;

    @BeforeEach
    void setUp() {
        System.setProperty("kvmj.runtime.dir", tmp.resolve("a,b").toString());
    }

    @AfterEach
    void tearDown() {
        System.clearProperty("kvmj.runtime.dir");
    }

    @Test
    void autoFollowsTheProbeAndKvmFailsBeforeSpawning() {
        Launcher noKvm = Launcher.create(LaunchOptions.defaults().withQemuBinary("/no/such/qemu"), NO_KVM);
        LaunchPlan auto = noKvm.plan(GuestSpec.builder("p1").build());
        assertEquals("tcg", auto.accelerator().accelerator());
        assertTrue(auto.accelerator().reason().contains("vmx/svm absent (test)"));
        assertEquals("tcg", auto.argv().get(auto.argv().indexOf("-accel") + 1));

        GuestSpec kvm = GuestSpec.builder("p2").accelerator(Accelerator.KVM).build();
        LaunchException e = assertThrows(LaunchException.class, () -> noKvm.launch(kvm));
        assertTrue(e.getMessage().contains("KVM is not usable") && e.getMessage().contains("vmx/svm absent (test)"),
                e.getMessage());
        assertTrue(e.argv().isEmpty(), "nothing was spawned");
        assertFalse(Files.exists(RuntimeDir.base().resolve("p2")), "nothing was claimed");

        LaunchPlan withKvm = Launcher.create(LaunchOptions.defaults(), KVM_OK).plan(GuestSpec.builder("p3").build());
        assertEquals("kvm", withKvm.accelerator().accelerator());
        assertEquals("kvm", withKvm.argv().get(withKvm.argv().indexOf("-accel") + 1));
        assertEquals("tcg", Launcher.create(LaunchOptions.defaults(), KVM_OK)
                .plan(GuestSpec.builder("p4").accelerator(Accelerator.TCG).build()).accelerator().accelerator());
    }

    @Test
    void aProbeThatCannotRunMeansTcgWithTheFailureAsReasonAndIsAskedOnce() {
        int[] calls = {0};
        AcceleratorPolicy broken = AcceleratorPolicy.fromRecommendation(AcceleratorPolicy.cachedOrTcg(() -> {
            calls[0]++;
            throw new UnsatisfiedLinkError("no jnidispatch (test)");
        }));
        AcceleratorChoice auto = broken.choose(Accelerator.AUTO);
        assertEquals("tcg", auto.accelerator());
        assertTrue(auto.reason().contains("host probe failed") && auto.reason().contains("no jnidispatch (test)"),
                auto.reason());
        LaunchException e = assertThrows(LaunchException.class, () -> broken.choose(Accelerator.KVM));
        assertTrue(e.getMessage().contains("no jnidispatch (test)"), e.getMessage());
        assertEquals(1, calls[0], "the failed probe is not repeated");
        assertEquals("kvm", AcceleratorPolicy.fromRecommendation(AcceleratorPolicy.cachedOrTcg(
                () -> AccelRecommendation.kvm("ok (test)"))).choose(Accelerator.AUTO).accelerator());
    }

    @Test
    void runtimePartsAreInTheSpecAndEscapeCommas() {
        LaunchPlan p = Launcher.create(LaunchOptions.defaults(), NO_KVM).plan(GuestSpec.builder("p5").build());
        List<String> a = p.argv();
        assertEquals(LaunchOptions.DEFAULT_QEMU, a.get(0));
        Path dir = RuntimeDir.base().resolve("p5");
        String d = QemuOpts.escape("dir", dir.toString());
        assertEquals(dir.resolve("qemu.pid").toString(), a.get(a.indexOf("-pidfile") + 1));
        String qmp = a.get(a.indexOf("-chardev") + 1);
        assertEquals("socket,id=qmp0,path=" + d + "/qmp.sock,server=on,wait=off", qmp);
        assertEquals(List.of("-serial", "chardev:serial0"), a.subList(a.indexOf("-serial"), a.indexOf("-serial") + 2),
                "kvmj's console is the first serial port: " + a);
        assertTrue(a.contains("socket,id=serial0,path=" + d + "/console.sock,server=on,"
                + "wait=off,logfile=" + d + "/console.log,logappend=on"), a.toString());
        assertEquals(1, a.stream().filter("-name"::equals).count(), "one -name: " + a);
        assertEquals(1, a.stream().filter("-pidfile"::equals).count());
        assertEquals(a.subList(1, a.size()), p.args());
        assertFalse(Files.exists(dir), "plan claims nothing");
        assertEquals(3, a.stream().filter("-mon"::equals).count(), "server, events and listener sockets");
        assertTrue(a.contains("virtserialport,bus=vser0.0,chardev=channel0,name=org.qemu.guest_agent.0,id=channel0-port"),
                a.toString());
        assertTrue(a.contains("socket,id=channel0,path=" + d + "/qga.sock,server=on,wait=off"),
                a.toString());
        assertEquals(2, Launcher.create(LaunchOptions.defaults().withDetached(true), NO_KVM)
                .plan(GuestSpec.builder("p6").build()).argv().stream().filter("-mon"::equals).count(),
                "a detached guest has no socket pointing back at this JVM");
        LaunchPlan micro = Launcher.create(LaunchOptions.defaults(), NO_KVM)
                .plan(GuestSpec.builder("p7").machine(io.kvmj.core.model.MachineType.MICROVM).build());
        assertFalse(micro.argv().stream().anyMatch(s -> s.startsWith("virtserialport")), "microvm has no PCI bus");
    }

    @Test
    void rawArgvGetsTheSameRuntimePartAndTheAgentOnlyOnAPciBoard() {
        Launcher l = Launcher.create(LaunchOptions.defaults(), NO_KVM);
        List<String> raw = List.of("-machine", "none", "-nodefaults");
        LaunchPlan none = l.planArgv("p8", raw);
        LaunchPlan spec = l.plan(GuestSpec.builder("p8").machine(io.kvmj.core.model.MachineType.MICROVM).build());
        List<String> runtime = none.argv().subList(0, none.argv().size() - raw.size());
        assertEquals(raw, none.argv().subList(runtime.size(), none.argv().size()));
        for (String opt : List.of("-pidfile", "-chardev", "-mon", "-serial")) {
            assertEquals(spec.argv().stream().filter(opt::equals).count(), runtime.stream().filter(opt::equals).count(), opt);
        }
        assertTrue(spec.argv().containsAll(runtime), "same rendering: " + runtime + " vs " + spec.argv());
        assertFalse(none.argv().stream().anyMatch(s -> s.startsWith("virtserialport")), "-machine none has no bus");
        assertTrue(l.planArgv("p9", List.of("-machine", "q35,acpi=off")).argv().stream()
                .anyMatch(s -> s.startsWith("virtserialport")));
        assertTrue(l.planArgv("p9", List.of("-M", "pc")).argv().stream().anyMatch(s -> s.startsWith("virtserialport")));
        LaunchPlan extra = none.withExtraArgs(List.of("-S"));
        assertEquals("-S", extra.argv().get(extra.argv().size() - 1));
        assertThrows(io.kvmj.core.model.InvalidSpecException.class, () -> none.withExtraArgs(List.of("a\nb")));
    }

    @Test
    void acceleratorFromRawArgs() {
        assertEquals("kvm", Launcher.acceleratorFromArgs(List.of("-accel", "kvm,kernel-irqchip=on")).accelerator());
        assertEquals("tcg", Launcher.acceleratorFromArgs(List.of("-machine", "q35,accel=tcg")).accelerator());
        assertEquals("kvm", Launcher.acceleratorFromArgs(List.of("-enable-kvm")).accelerator());
        assertEquals("tcg", Launcher.acceleratorFromArgs(List.of("-m", "64")).accelerator());
    }
}
