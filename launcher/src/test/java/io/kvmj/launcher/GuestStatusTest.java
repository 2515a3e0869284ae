package io.kvmj.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kvmj.core.qemu.ShellQuote;
import java.util.List;
import org.junit.jupiter.api.Test;

/** vCPUs and memory read back from the command line kvmj records (the argv that runs). */
class GuestStatusTest {
    @Test
    void readsTheRenderedSmpAndMemory() {
        String cl = ShellQuote.join(List.of("qemu-system-x86_64", "-name", "guest=vm1", "-smp",
                "cpus=2,sockets=2,cores=1,threads=1", "-m", "size=1024M", "-display", "none"));
        assertEquals(2, GuestStatus.vcpus(cl));
        assertEquals(1024, GuestStatus.memoryMiB(cl));
    }

    @Test
    void rawArgvFormsAndQemuDefaults() {
        assertEquals(4, GuestStatus.vcpus("qemu-system-x86_64 -smp 4 -m 2G"));
        assertEquals(2048, GuestStatus.memoryMiB("qemu-system-x86_64 -smp 4 -m 2G"));
        assertEquals(512, GuestStatus.memoryMiB("qemu-system-x86_64 -m 512"));
        assertEquals(1, GuestStatus.vcpus("qemu-system-x86_64 -machine none"));
        assertEquals(128, GuestStatus.memoryMiB("qemu-system-x86_64 -machine none"));
        assertEquals(1, GuestStatus.vcpus("qemu-system-x86_64 -name guest=-smp-x -machine none"));
    }
}
