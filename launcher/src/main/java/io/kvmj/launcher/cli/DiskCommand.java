package io.kvmj.launcher.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * {@code kvmj disk list|snapshot|resize|commit|backup|attach|detach NAME DRIVE ...}: live block operations on a running guest's
 * drives over its QMP socket. DRIVE is the device id given at launch ({@code --disk} numbers them {@code disk0},
 * {@code disk1}, ...) or a block node name; {@code kvmj disk list NAME} shows both.
 */
@Command(name = "disk", mixinStandardHelpOptions = true,
    description = {"Live operations on a running guest's drives: list, external snapshot, resize, commit, backup, "
        + "hot-plug (attach, detach).",
        "DRIVE is the device id (kvmj run --disk numbers them disk0, disk1, ...) or a node name; "
            + "see 'kvmj disk list NAME'."},
    subcommands = {DiskListCommand.class, DiskSnapshotCommand.class, DiskResizeCommand.class,
        DiskCommitCommand.class, DiskBackupCommand.class, DiskAttachCommand.class, DiskDetachCommand.class},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:success", "1:no such guest or drive, QMP error or failed job (QEMU's message on stderr)",
        "2:bad usage (bad size, existing target, shrink without --shrink, a DISKSPEC that cannot be hot-plugged)",
        "130:commit/backup interrupted by Ctrl-C (143: SIGTERM); the QEMU job was cancelled"})
public final class DiskCommand implements java.util.concurrent.Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--timeout", scope = ScopeType.INHERIT, defaultValue = "30", paramLabel = "SECONDS",
        converter = Counts.Positive.class,
        description = "Bound on connecting to the guest and on each QMP command (default ${DEFAULT-VALUE}).")
    long timeout;

    /** Without a subcommand: the usage on stderr, exit 2 (a usage error). */
    @Override
    public Integer call() {
        spec.commandLine().getErr().println(spec.qualifiedName() + ": missing a subcommand");
        spec.commandLine().usage(spec.commandLine().getErr());
        return ExitCodes.USAGE;
    }
}
