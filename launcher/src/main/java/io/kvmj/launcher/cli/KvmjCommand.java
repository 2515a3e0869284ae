package io.kvmj.launcher.cli;

import picocli.CommandLine.Command;

/**
 * The root {@code kvmj} command. Each subcommand lives in its own class and is registered here.
 *
 * <p>Exit codes shared by all subcommands: 0 success, 1 the operation ran but failed (a check failed,
 * a guest check failed, QMP returned an error), 2 usage or internal error.
 */
@Command(
    name = "kvmj",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Run QEMU/KVM virtual machines from Java.",
    subcommands = {
        HelpCommand.class,
        picocli.AutoComplete.GenerateCompletion.class,
        CheckCommand.class,
        DemoCommand.class,
        ImgCommand.class,
        DiskCommand.class,
        RunCommand.class,
        ListCommand.class,
        StopCommand.class,
        RmCommand.class,
        ConsoleCommand.class,
        QmpCliCommand.class,
        EventsCommand.class,
        AgentCommand.class,
        SshCommand.class,
        InfoCommand.class,
        MigrateCommand.class,
        SaveCommand.class,
        RestoreCommand.class,
        SnapshotCommand.class,
        ExportCommand.class,
        ImportCommand.class,
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
        "0:success",
        "1:the operation ran and failed (check failed, guest check failed, QMP error)",
        "2:bad usage or internal error"})
public final class KvmjCommand implements java.util.concurrent.Callable<Integer> {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    /** Without a subcommand: the usage on stderr, exit 2 (a usage error). */
    @Override
    public Integer call() {
        spec.commandLine().getErr().println(spec.qualifiedName() + ": missing a subcommand");
        spec.commandLine().usage(spec.commandLine().getErr());
        return ExitCodes.USAGE;
    }
}
