package io.kvmj.launcher.migrate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvmj.core.model.GuestSpec;
import io.kvmj.core.model.MachineType;
import io.kvmj.core.model.NinePShare;
import io.kvmj.launcher.process.Executables;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class MachinePinningTest {
    @Test
    void parsesTheAliasLinesOfMachineHelp() {
        String help = """
                Supported machines are:
                microvm              microvm (i386)
                pc                   Standard PC (i440FX + PIIX, 1996) (alias of pc-i440fx-7.2)
                pc-i440fx-7.2        Standard PC (i440FX + PIIX, 1996) (default)
                q35                  Standard PC (Q35 + ICH9, 2009) (alias of pc-q35-7.2)
                pc-q35-7.2           Standard PC (Q35 + ICH9, 2009)
                """;
        assertEquals(Map.of("pc", "pc-i440fx-7.2", "q35", "pc-q35-7.2"), MachinePinning.parse(help));
    }

    @Test
    void pinsMigratableGuestsWithTheRealQemu() {
        Assumptions.assumeTrue(Executables.find("qemu-system-x86_64").isPresent(), "no QEMU");
        GuestSpec q35 = MachinePinning.pin("qemu-system-x86_64", GuestSpec.builder("p").build());
        assertTrue(q35.machineVersion().startsWith("pc-q35-"), q35.machineVersion());
        GuestSpec pc = MachinePinning.pin("qemu-system-x86_64", GuestSpec.builder("p").machine(MachineType.PC).build());
        assertTrue(pc.machineVersion().startsWith("pc-i440fx-"), pc.machineVersion());
        GuestSpec shared = GuestSpec.builder("p").share(NinePShare.of("t", Path.of("/tmp"))).build();
        assertNull(MachinePinning.pin("qemu-system-x86_64", shared).machineVersion(), "not migratable: left alone");
        assertNull(MachinePinning.pin("/no/such/qemu", GuestSpec.builder("p").build()).machineVersion());
    }
}
