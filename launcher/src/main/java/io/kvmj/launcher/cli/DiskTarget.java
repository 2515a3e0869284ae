package io.kvmj.launcher.cli;

import io.kvmj.launcher.GuestInfo;
import io.kvmj.launcher.storage.DriveInfo;
import io.kvmj.launcher.storage.Drives;
import io.kvmj.qmp.QmpMonitor;
import picocli.CommandLine.Parameters;

/**
 * picocli {@code @Mixin} of the {@code kvmj disk} subcommands that act on one drive: {@code NAME DRIVE} (the first two
 * positionals) and resolving {@code DRIVE} on the connected guest.
 */
final class DiskTarget extends DiskGuest {
    /** Work done on a connected guest's resolved, inserted drive; returns the exit code. */
    @FunctionalInterface
    interface DriveOp {
        int run(QmpMonitor qmp, GuestInfo guest, DriveInfo drive) throws Exception;
    }

    @Parameters(index = "1", paramLabel = "DRIVE", description = "Device id (e.g. disk0) or node name.")
    String drive;

    /**
     * {@code DRIVE} as the guest has it now.
     *
     * @throws io.kvmj.launcher.storage.UnknownDriveException when the guest has no such drive (exit code 1)
     * @throws DiskFailure when the drive has no medium (exit code 1)
     */
    DriveInfo resolve(QmpMonitor qmp) {
        return DiskSupport.requireInserted(Drives.resolve(Drives.query(qmp), drive));
    }

    /** As {@link #withGuest}, handing {@code op} the resolved drive ({@link #resolve}). */
    int withDrive(DriveOp op) {
        return withGuest((qmp, guest) -> op.run(qmp, guest, resolve(qmp)));
    }
}
