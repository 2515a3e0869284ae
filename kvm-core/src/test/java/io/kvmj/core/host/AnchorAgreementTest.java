package io.kvmj.core.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Runs libvirt's {@code virt-host-validate qemu} and {@code kvm-ok} (when installed) and asserts kvmj agrees on
 * the checks they share: hardware virtualisation, /dev/net/tun, /dev/vhost-net, IOMMU.
 */
class AnchorAgreementTest {
    private static final Pattern LINE = Pattern.compile("QEMU: Checking (.+?)\\s*: (PASS|WARN|FAIL)");

    private static String runTool(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try {
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), String.join(" ", cmd) + " timed out");
            return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        } finally {
            p.destroyForcibly();
        }
    }

    private static boolean installed(String tool) {
        return Files.isExecutable(Path.of("/usr/bin", tool)) || Files.isExecutable(Path.of("/usr/sbin", tool));
    }

    @Test
    void agreesWithVirtHostValidateOnSharedChecks() throws Exception {
        assumeTrue(installed("virt-host-validate"), "virt-host-validate not installed (apt-get install libvirt-clients)");
        Map<String, Verdict> theirs = new LinkedHashMap<>();
        for (String line : runTool("virt-host-validate", "qemu").split("\n")) {
            Matcher m = LINE.matcher(line);
            if (m.find()) {
                theirs.put(m.group(1), Verdict.valueOf(m.group(2)));
            }
        }
        HostReport ours = HostProbe.probe();
        Map<String, String> shared = Map.of("for hardware virtualization", "cpu.hwvirt",
                "if device /dev/net/tun exists", "net.tun", "if device /dev/vhost-net exists", "net.vhost-net",
                "for device assignment IOMMU support", "iommu");
        int compared = 0;
        for (Map.Entry<String, String> e : shared.entrySet()) {
            Verdict v = theirs.get(e.getKey());
            if (v != null) {
                compared++;
                if (e.getValue().equals("iommu") && !iommuDefinitionsCoincide(ours.facts())) {
                    continue;
                }
                assertEquals(v, ours.check(e.getValue()).verdict(), e.getKey() + " vs " + ours.check(e.getValue()));
            }
        }
        assertEquals(4, compared, "virt-host-validate output: " + theirs);
        Verdict kvmExists = theirs.get("if device /dev/kvm exists");
        if (kvmExists != null) {
            assertEquals(kvmExists == Verdict.PASS, ours.facts().kvmDevice().exists());
        }
    }

    /**
     * virt-host-validate trusts the ACPI table (DMAR for vmx, IVRS for svm, else "unknown"); kvmj trusts
     * /sys/kernel/iommu_groups. They must agree when both sources say the same thing.
     */
    private static boolean iommuDefinitionsCoincide(HostFacts f) {
        boolean table = f.cpu().vmx() ? f.iommu().dmarTable() : f.cpu().svm() && f.iommu().ivrsTable();
        return table == (f.iommu().groups() > 0);
    }

    @Test
    void agreesWithKvmOkOnHardwareVirtualisation() throws Exception {
        assumeTrue(installed("kvm-ok"), "kvm-ok not installed (apt-get install cpu-checker)");
        String out = runTool("kvm-ok");
        HostReport ours = HostProbe.probe();
        boolean theirsCanUse = out.contains("KVM acceleration can be used");
        boolean theirsCannot = out.contains("KVM acceleration can NOT be used");
        assertTrue(theirsCanUse ^ theirsCannot, out);
        assertEquals(theirsCanUse, ours.check("cpu.hwvirt").verdict() == Verdict.PASS, out);
        if (theirsCannot) {
            assertEquals("tcg", ours.recommendation().accelerator(), out);
        }
    }
}
