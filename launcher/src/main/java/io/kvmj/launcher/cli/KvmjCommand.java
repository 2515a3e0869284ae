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
        picocli.CommandLine.HelpCommand.class,
        picocli.AutoComplete.GenerateCompletion.class,
        CheckCommand.class,
        DemoCommand.class,
        ImgCommand.class,
        DiskCommand.class,
        RunCommand.class,
        ListCommand.class,
        StopCommand.class,
        ConsoleCommand.class,
        QmpCliCommand.class,
        EventsCommand.class,
        ExportCommand.class,
        ImportCommand.class,
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
        "0:success",
        "1:the operation ran and failed (check failed, guest check failed, QMP error)",
        "2:bad usage or internal error"})
public final class KvmjCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
