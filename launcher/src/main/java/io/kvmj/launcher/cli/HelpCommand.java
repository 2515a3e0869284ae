package io.kvmj.launcher.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code kvmj help [COMMAND [SUBCOMMAND ...]]}: the help of a command at any depth ({@code kvmj help img create}). */
@Command(name = "help", helpCommand = true, description = "Show the help of a command, e.g. 'kvmj help img create'.",
    exitCodeListHeading = "%nExit codes:%n", exitCodeList = {"0:help shown", "2:no such command"})
final class HelpCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "COMMAND", arity = "0..*", description = "The command path, e.g. img create.")
    List<String> path = new ArrayList<>();

    @Override
    public Integer call() {
        CommandLine cl = spec.parent().commandLine();
        for (String name : path) {
            CommandLine sub = cl.getSubcommands().get(name);
            if (sub == null) {
                cl.getErr().println("kvmj help: " + cl.getCommandSpec().qualifiedName() + " has no command '" + name
                        + "'");
                cl.getErr().println("see '" + cl.getCommandSpec().qualifiedName() + " --help'");
                return ExitCodes.USAGE;
            }
            cl = sub;
        }
        cl.usage(spec.commandLine().getOut());
        return ExitCodes.OK;
    }
}
