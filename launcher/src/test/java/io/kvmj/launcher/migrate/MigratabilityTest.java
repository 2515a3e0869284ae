package io.kvmj.launcher.migrate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvmj.core.model.Accelerator;
import io.kvmj.core.model.CpuModel;
import io.kvmj.core.model.GuestSpec;
import io.kvmj.core.model.NinePShare;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class MigratabilityTest {
    @Test
    void aGuestWithTheDefaultCpuModelMovesWithAWarningANamedModelWithout() {
        GuestSpec max = padded(GuestSpec.builder("g").build());
        assertEquals("max", max.cpu().name(), "kvmj's default CPU model");
        assertEquals(1, Migratability.warnings(max).size());
        assertTrue(Migratability.warnings(max).get(0).contains("CPU model 'max' is not migration-safe"),
                Migratability.warnings(max).toString());
        assertTrue(Migratability.warnings(max.toBuilder().cpu(CpuModel.host()).build()).get(0)
                .contains("'host'"));
        assertTrue(Migratability.warnings(max.toBuilder().cpu(CpuModel.named("qemu64")).build()).isEmpty());
        assertTrue(Migratability.problems(max).isEmpty(), "a warning does not refuse");
    }

    @Test
    void aTcgGuestWithoutThePaddingIsWarnedAboutPostCopyMostOfAll() {
        GuestSpec tcg = GuestSpec.builder("g").accelerator(Accelerator.TCG).cpu(CpuModel.named("qemu64")).build();
        assertEquals(List.of("03bfc2188f"), Migratability.warnings(tcg).stream()
                .map(w -> w.replaceAll(".*QEMU commit (\\w+).*", "$1")).toList(), Migratability.warnings(tcg).toString());
        assertTrue(Migratability.postcopyWarning(tcg).orElseThrow().startsWith("post-copy under TCG is unreliable"));
        assertTrue(Migratability.warnings(tcg, true).get(0).startsWith("post-copy under TCG is unreliable"),
                "before a post-copy move, the post-copy warning in its place");
        assertEquals(1, Migratability.warnings(tcg, true).size());
        assertTrue(Migratability.postcopyWarning(padded(tcg)).isEmpty(), "the padding is the workaround");
        assertTrue(Migratability.warnings(padded(tcg)).isEmpty());
        GuestSpec kvm = tcg.toBuilder().accelerator(Accelerator.KVM).build();
        assertTrue(Migratability.postcopyWarning(kvm).isEmpty(), "KVM's dirty log is not TCG's");
        assertTrue(Migratability.warnings(kvm).isEmpty());
    }

    private static GuestSpec padded(GuestSpec s) {
        return s.toBuilder().memory(s.memory().withPadKiB(TcgDirtyTracking.PAD_KIB)).build();
    }

    @Test
    void aNinePShareIsRefusedWithItsTag() {
        GuestSpec s = GuestSpec.builder("g").share(NinePShare.of("host", Path.of("/tmp"))).build();
        assertTrue(Migratability.problems(s).get(0).startsWith("9p share 'host'"), Migratability.problems(s).toString());
    }
}
