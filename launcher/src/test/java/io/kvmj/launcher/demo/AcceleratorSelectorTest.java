package io.kvmj.launcher.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AcceleratorSelectorTest {
    @TempDir
    Path tmp;

    @Test
    void kvmOnlyWithVirtFlagAndReadWriteDevice() throws IOException {
        Path cpu = Files.writeString(tmp.resolve("cpuinfo"), "processor : 0\nflags : fpu sse2 svm lm\n");
        Path kvm = Files.writeString(tmp.resolve("kvm"), "");
        Path sys = Files.createDirectories(tmp.resolve("sys"));
        AcceleratorChoice c = AcceleratorSelector.select(cpu, kvm, sys);
        assertTrue(c.kvmUsable());
        assertEquals("kvm", c.accelerator());
        assertEquals("host", c.cpuModel());
        assertTrue(c.reason().contains("svm"));
    }

    @Test
    void tcgWithoutVirtFlagNamingKvmPvm() throws IOException {
        Path cpu = Files.writeString(tmp.resolve("cpuinfo"), "flags : fpu sse2 lm hypervisor\n");
        Path kvm = Files.writeString(tmp.resolve("kvm"), "");
        Path sys = Files.createDirectories(tmp.resolve("sys/kvm_pvm")).getParent();
        AcceleratorChoice c = AcceleratorSelector.select(cpu, kvm, sys);
        assertFalse(c.kvmUsable());
        assertEquals("tcg", c.accelerator());
        assertTrue(c.reason().contains("neither vmx nor svm") && c.reason().contains("kvm_pvm"), c.reason());
    }

    @Test
    void tcgWithoutDevKvm() throws IOException {
        Path cpu = Files.writeString(tmp.resolve("cpuinfo"), "flags : vmx\n");
        AcceleratorChoice c = AcceleratorSelector.select(cpu, tmp.resolve("nokvm"), tmp);
        assertEquals("tcg", c.accelerator());
        assertTrue(c.reason().contains("does not exist"), c.reason());
    }
}
