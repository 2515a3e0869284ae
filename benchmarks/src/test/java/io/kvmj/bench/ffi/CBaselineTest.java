package io.kvmj.bench.ffi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class CBaselineTest {

    @Test
    void parsesEveryRepetitionAndTakesTheMedian() {
        CBaseline.Result r = CBaseline.parse("""
                rep=0 calls=1000 ns_per_call=250.50 result=1
                rep=1 calls=1000 ns_per_call=240.00 result=1
                noise line
                rep=2 calls=1000 ns_per_call=900.00 result=1
                """);
        assertEquals(List.of(250.5, 240.0, 900.0), r.nsPerCall());
        assertEquals(250.5, r.medianNs());
        assertEquals(1, r.result());
    }

    @Test
    void rejectsOutputWithoutMeasurements() {
        assertThrows(IllegalArgumentException.class, () -> CBaseline.parse("open /dev/kvm: Permission denied\n"));
    }

    @Test
    void compilesAndRunsTheLoopAgainstDevKvm() throws Exception {
        assumeTrue(Files.isWritable(Path.of("/dev/kvm")), "/dev/kvm not accessible");
        CBaseline.Result r = CBaseline.measure(10_000, 2, 3);
        assertEquals(2, r.nsPerCall().size());
        assertEquals(1, r.result(), "KVM_CAP_USER_MEMORY is always present");
        assertTrue(r.medianNs() > 0);
    }

    @Test
    void libraryLoopRunsInsideTheJvmOnOurDescriptor(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        assumeTrue(Files.isWritable(Path.of("/dev/kvm")), "/dev/kvm not accessible");
        InProcessLoop loop = InProcessLoop.load(CBaseline.compileLibrary(dir));
        try (io.kvmj.core.kvm.Kvm kvm = io.kvmj.core.kvm.Kvm.open()) {
            assertTrue(loop.nsPerCall(kvm.fd(), 10_000, 3) > 0);
            // an fd that is not /dev/kvm makes the ioctl fail: the loop must say so, not report a time
            assertThrows(IllegalStateException.class, () -> loop.nsPerCall(-1, 10, 3));
        }
    }
}
