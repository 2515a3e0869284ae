package io.kvmj.launcher.migrate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvmj.core.model.CpuModel;
import io.kvmj.core.model.GuestSpec;
import io.kvmj.core.model.NinePShare;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class MigratabilityTest {
    @Test
    void aGuestWithTheDefaultCpuModelMovesWithAWarningANamedModelWithout() {
        GuestSpec max = GuestSpec.builder("g").build();
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
    void postCopyOfATcgGuestIsWarnedAbout() {
        GuestSpec tcg = GuestSpec.builder("g").accelerator(io.kvmj.core.model.Accelerator.TCG).build();
        assertTrue(Migratability.postcopyWarning(tcg).orElseThrow().startsWith("post-copy under TCG is unreliable"));
        assertTrue(Migratability.postcopyWarning(tcg.toBuilder().accelerator(io.kvmj.core.model.Accelerator.KVM)
                .build()).isEmpty());
    }

    @Test
    void aNinePShareIsRefusedWithItsTag() {
        GuestSpec s = GuestSpec.builder("g").share(NinePShare.of("host", Path.of("/tmp"))).build();
        assertTrue(Migratability.problems(s).get(0).startsWith("9p share 'host'"), Migratability.problems(s).toString());
    }
}
