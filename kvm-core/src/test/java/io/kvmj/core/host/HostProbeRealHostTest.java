package io.kvmj.core.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The probe on the machine running the tests: invariants everywhere, exact verdicts on a kvm_pvm host. */
class HostProbeRealHostTest {

    @Test
    void realHostReportIsConsistent() {
        HostReport r = HostProbe.probe();
        HostFacts f = r.facts();
        assertEquals(19, r.checks().size());
        assertNotNull(r.recommendation().reason());
        if (!f.cpu().hardwareVirtualization()) {
            assertFalse(r.recommendation().kvmUsable(), "no vmx/svm must never recommend kvm");
            assertEquals(Verdict.FAIL, r.check("cpu.hwvirt").verdict());
        }
        assertEquals(Files.exists(Path.of("/dev/net/tun")),
                r.check("net.tun").verdict() == Verdict.PASS);
        assertEquals(Files.exists(Path.of("/dev/vhost-net")),
                r.check("net.vhost-net").verdict() == Verdict.PASS);
    }

    @Test
    void kvmPvmHostAnswersIoctlsButRecommendsTcg() {
        HostFacts probeFacts = HostProbe.probe().facts();
        assumeTrue(Files.isDirectory(Path.of("/sys/module/kvm_pvm")) && !probeFacts.cpu().hardwareVirtualization()
                && Files.isWritable(Path.of("/dev/kvm")), "not a kvm_pvm host without vmx/svm");
        HostReport r = HostProbe.evaluate(probeFacts);
        assertEquals(12, probeFacts.kvm().apiVersion());
        assertTrue(probeFacts.kvm().smokeTest().passed(), probeFacts.kvm().smokeTest().toString());
        assertEquals(Verdict.PASS, r.check("kvm.run").verdict());
        assertEquals(Verdict.PASS, r.check("kvm.api").verdict());
        assertEquals(Verdict.PASS, r.check("kvm.vm").verdict());
        assertFalse(r.recommendation().kvmUsable());
        assertEquals("tcg", r.recommendation().accelerator());
        assertTrue(r.recommendation().reason().contains("through kvm_pvm"), r.recommendation().reason());
        assertTrue(r.recommendation().reason().contains("hardware virtualisation (vmx/svm) is absent"));
        assertTrue(r.recommendation().reason().contains("TCG"));
    }
}
