package io.kvmj.launcher.migrate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvmj.core.host.HostEnvironment;
import io.kvmj.core.model.Accelerator;
import io.kvmj.core.model.GuestSpec;
import io.kvmj.core.model.MemoryBackend;
import io.kvmj.core.model.MemorySpec;
import io.kvmj.core.qemu.QemuCommandLine;
import io.kvmj.core.spec.GuestSpecJson;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The memory padding that keeps QEMU before 9.0 on the dirty-bitmap sync path that does not lose TCG writes: given
 * once, when a TCG (or {@code auto}) guest with a plain {@code -m} is pinned for moving, and then carried by the spec.
 */
class TcgDirtyTrackingTest {
    private static final String PINNED = "pc-q35-7.2";

    @Test
    void aGuestPinnedNowUnderTcgGets8KibMoreAndQemuIsToldInKib(@TempDir Path tmp) {
        GuestSpec requested = GuestSpec.builder("g").accelerator(Accelerator.TCG).memoryMiB(1024).build();
        GuestSpec ready = TcgDirtyTracking.apply(requested, pin(requested));
        assertEquals(8, ready.memory().padKiB());
        assertEquals(1024, ready.memory().sizeMiB(), "the size the user gave is kept");
        List<String> argv = new QemuCommandLine("qemu-system-x86_64", HostEnvironment.rootedAt(tmp))
                .render(ready).argv();
        assertEquals("size=1048584K", argv.get(argv.indexOf("-m") + 1), "1 GiB + 8 KiB: off the 256 KiB grid");
        assertTrue((1048584L * 1024) % (256 * 1024) != 0);
        assertEquals(ready, GuestSpecJson.read(GuestSpecJson.write(ready)), "spec.json carries it to the destination");
    }

    @Test
    void autoIsPaddedTooSoTwoHostsAgreeWhateverTheyResolveItTo() {
        GuestSpec requested = GuestSpec.builder("g").build();
        assertEquals(Accelerator.AUTO, requested.accelerator());
        assertEquals(8, TcgDirtyTracking.apply(requested, pin(requested)).memory().padKiB());
    }

    @Test
    void kvmGuestsUnpinnedGuestsBackendsAndRecordedSpecsAreLeftAlone() {
        GuestSpec kvm = GuestSpec.builder("g").accelerator(Accelerator.KVM).build();
        GuestSpec kvmPinned = pin(kvm);
        assertSame(kvmPinned, TcgDirtyTracking.apply(kvm, kvmPinned));
        GuestSpec tcg = GuestSpec.builder("g").accelerator(Accelerator.TCG).build();
        assertEquals(0, TcgDirtyTracking.apply(tcg, tcg).memory().padKiB(), "not migratable: not pinned, not padded");
        GuestSpec recorded = pin(tcg);   // a spec.json of a guest an older kvmj started: pinned, no padding
        assertEquals(0, TcgDirtyTracking.apply(recorded, recorded).memory().padKiB(),
                "a destination keeps its source's size");
        GuestSpec backed = GuestSpec.builder("g").accelerator(Accelerator.TCG)
                .memory(MemorySpec.ofMiB(512).withBackend(MemoryBackend.memfd("mem", 512).build())).build();
        assertEquals(0, TcgDirtyTracking.apply(backed, pin(backed)).memory().padKiB(), "backend sizes are whole MiB");
        assertTrue(TcgDirtyTracking.exposed(pin(backed)));
    }

    private static GuestSpec pin(GuestSpec s) {
        return s.toBuilder().machineVersion(PINNED).build();
    }
}
