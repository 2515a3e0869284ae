package io.kvmj.launcher.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckCommandTest {
    static final List<String> CHECK_IDS = List.of("cpu.hwvirt", "kvm.module", "kvm.mmu", "kvm.nested", "kvm.device",
            "kvm.access", "kvm.api", "kvm.vm", "kvm.run", "kvm.caps", "kvm.cpuid", "mem.hugepages", "mem.hugetlbfs",
            "mem.thp", "mem.ksm", "iommu", "net.tun", "net.vhost-net", "vsock.vhost-vsock");


    static InProcessCli.Run run(String... args) {
        return InProcessCli.run(args);
    }

    @Test
    void jsonDocumentHasStableSchemaAndExitCodeMatchesRecommendation() throws Exception {
        InProcessCli.Run r = run("check", "--json");
        assertEquals("", r.err());
        JsonNode doc = new ObjectMapper().readTree(r.out());
        List<String> top = new ArrayList<>();
        doc.fieldNames().forEachRemaining(top::add);
        assertEquals(List.of("schemaVersion", "kvmUsable", "accelerator", "recommendation", "summary", "checks",
                "facts"), top);
        assertEquals(1, doc.get("schemaVersion").asInt());
        boolean usable = doc.get("kvmUsable").asBoolean();
        assertEquals(usable ? 0 : 1, r.exit());
        assertEquals(usable ? "kvm" : "tcg", doc.get("accelerator").asText());
        assertEquals(usable, doc.get("recommendation").get("kvmUsable").asBoolean());
        assertFalse(doc.get("recommendation").get("reason").asText().isEmpty());
        List<String> ids = new ArrayList<>();
        int total = 0;
        for (JsonNode c : doc.get("checks")) {
            ids.add(c.get("id").asText());
            assertTrue(Set.of("PASS", "WARN", "FAIL", "INFO").contains(c.get("verdict").asText()), c.toString());
            assertTrue(c.has("title") && c.has("detail") && c.has("fix"), c.toString());
        }
        assertEquals(CHECK_IDS, ids);
        for (String v : List.of("pass", "warn", "fail", "info")) {
            total += doc.get("summary").get(v).asInt();
        }
        assertEquals(CHECK_IDS.size(), total);
        JsonNode facts = doc.get("facts");
        for (String f : List.of("root", "cpu", "kvmModules", "kvmDevice", "kvm", "user", "memory", "iommu", "devices")) {
            assertTrue(facts.has(f), "facts." + f);
        }
        assertEquals(Files.exists(Path.of("/dev/kvm")), facts.get("kvmDevice").get("exists").asBoolean());
    }

    @Test
    void kvmPvmHostExitsOneWithTcgRecommendation() throws Exception {
        assumeTrue(Files.isDirectory(Path.of("/sys/module/kvm_pvm")) && Files.isWritable(Path.of("/dev/kvm")),
                "not the kvm_pvm host");
        InProcessCli.Run r = run("check", "--json");
        JsonNode doc = new ObjectMapper().readTree(r.out());
        assumeTrue(!doc.get("facts").get("cpu").get("vmx").asBoolean() && !doc.get("facts").get("cpu").get("svm")
                .asBoolean(), "host has vmx/svm");
        assertEquals(1, r.exit());
        assertEquals("tcg", doc.get("accelerator").asText());
        String reason = doc.get("recommendation").get("reason").asText();
        assertTrue(reason.contains("through kvm_pvm") && reason.contains("TCG"), reason);
        JsonNode kvm = doc.get("facts").get("kvm");
        assertEquals(12, kvm.get("apiVersion").asInt());
        assertTrue(kvm.get("capabilities").get("KVM_CAP_NR_VCPUS").isInt());
        assertTrue(kvm.get("capabilities").get("KVM_CAP_USER_MEMORY").isBoolean());
        assertEquals("KVMJ5", kvm.get("smokeTest").get("output").asText());
        assertEquals("KVM_EXIT_HLT", kvm.get("smokeTest").get("lastExit").asText());
    }

    @Test
    void tableIsAlignedWithoutColourWhenNotATerminal() {
        InProcessCli.Run r = run("check", "--no-run-test", "--ffi", "jnr");
        assertTrue(r.exit() == 0 || r.exit() == 1, r.err());
        String[] lines = r.out().split("\n");
        assertTrue(lines[0].matches("  VERDICT  CHECK +DETAIL"), lines[0]);
        int detailColumn = lines[0].indexOf("DETAIL");
        int rows = 0;
        for (String l : lines) {
            if (l.matches("  (PASS|WARN|FAIL|INFO) .*")) {
                rows++;
                assertTrue(l.length() > detailColumn && l.charAt(detailColumn - 1) == ' '
                        && l.charAt(detailColumn) != ' ', "aligned: " + l);
            }
        }
        assertEquals(CHECK_IDS.size(), rows, r.out());
        assertTrue(r.out().contains("Recommendation: -accel "), r.out());
        assertTrue(r.out().contains("KVM_RUN smoke test") && r.out().contains("not run"), r.out());
        assertFalse(r.out().contains("\u001b["), "no ANSI colour when System.console() is null");
    }

    @Test
    void fakeRootWithRegularFileAsDevKvmGivesEnottyVerdictNotAStackTrace(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("dev"));
        Files.writeString(dir.resolve("dev/kvm"), "");
        Files.createDirectories(dir.resolve("proc"));
        Files.writeString(dir.resolve("proc/cpuinfo"), "processor\t: 0\nvendor_id\t: GenuineIntel\nflags\t\t: fpu vmx lm\n");
        InProcessCli.Run r = run("check", "--json", "--root", dir.toString());
        assertEquals(1, r.exit(), r.err());
        assertEquals("", r.err());
        JsonNode doc = new ObjectMapper().readTree(r.out());
        assertEquals("ENOTTY", doc.get("facts").get("kvm").get("errno").asText());
        String reason = doc.get("recommendation").get("reason").asText();
        assertTrue(reason.contains("does not answer KVM ioctls (ENOTTY)"), reason);
        for (JsonNode c : doc.get("checks")) {
            if (c.get("id").asText().equals("kvm.api")) {
                assertEquals("FAIL", c.get("verdict").asText());
            }
        }
    }

    @Test
    void unknownBackendIsExitTwo() {
        InProcessCli.Run r = run("check", "--ffi", "bogus");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("unknown --ffi bogus"), r.err());
        assertEquals("", r.out());
    }
}
