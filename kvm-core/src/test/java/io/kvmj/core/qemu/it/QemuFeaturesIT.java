package io.kvmj.core.qemu.it;

import io.kvmj.core.qemu.QemuFeatures;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class QemuFeaturesIT {
    @Test
    void debianQemuHasSeccompSandbox() {
        QemuUnderTest.requireQemu();
        assertTrue(QemuFeatures.supportsSandbox("qemu-system-x86_64"), "Debian's QEMU is built with seccomp");
    }

    @Test
    void missingOrWrongBinaryIsReportedAsUnsupported() {
        assertFalse(QemuFeatures.supportsSandbox("/nonexistent/qemu"));
        assertFalse(QemuFeatures.supportsSandbox("false"));
    }
}
