package io.kvmj.launcher.cli;

import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;

/**
 * The root {@code kvmj} command. Each subcommand lives in its own class and is registered here.
 *
 * <p>Exit codes shared by all subcommands: 0 success, 1 the operation ran but failed (a check failed,
 * a guest check failed, QMP returned an error), 2 usage or internal error.
 *
 * <p>The subcommands are not declared in the annotation but listed in {@link #SUBCOMMANDS}: {@link Main} registers
 * all of them for help and completion, and only the one named for a command like {@code kvmj list}, so that picocli
 * does not reflect over every command class on each start (issue 19).
 */
@Command(
    name = "kvmj",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Run QEMU/KVM virtual machines from Java.",
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
        "0:success",
        "1:the operation ran and failed (check failed, guest check failed, QMP error)",
        "2:bad usage or internal error"})
public final class KvmjCommand implements java.util.concurrent.Callable<Integer> {
    /**
     * The subcommands by name (each is the {@code name} of the class's {@code @Command}), in the order
     * {@code kvmj --help} lists them. A new command goes here.
     */
    static final List<Map.Entry<String, Class<?>>> SUBCOMMANDS = List.of(
        Map.entry("help", HelpCommand.class),
        Map.entry("generate-completion", CompletionCommand.class),
        Map.entry("check", CheckCommand.class),
        Map.entry("demo", DemoCommand.class),
        Map.entry("img", ImgCommand.class),
        Map.entry("disk", DiskCommand.class),
        Map.entry("run", RunCommand.class),
        Map.entry("list", ListCommand.class),
        Map.entry("stop", StopCommand.class),
        Map.entry("rm", RmCommand.class),
        Map.entry("console", ConsoleCommand.class),
        Map.entry("qmp", QmpCliCommand.class),
        Map.entry("events", EventsCommand.class),
        Map.entry("agent", AgentCommand.class),
        Map.entry("ssh", SshCommand.class),
        Map.entry("info", InfoCommand.class),
        Map.entry("migrate", MigrateCommand.class),
        Map.entry("save", SaveCommand.class),
        Map.entry("restore", RestoreCommand.class),
        Map.entry("snapshot", SnapshotCommand.class),
        Map.entry("export", ExportCommand.class),
        Map.entry("import", ImportCommand.class));

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    /** {@code -c/--connect URI}: the libvirt backend (see {@link ConnectOption}). */
    @picocli.CommandLine.Option(names = {"-c", "--connect"}, paramLabel = "URI", description = {
        "Run the command on a libvirt daemon instead of this host's kvmj, as 'virsh -c URI': qemu:///system, "
            + "qemu+ssh://USER@HOST/system (another host), qemu:///system?socket=PATH. Supported by run, list, stop, "
            + "qmp, agent, events, console, save, restore and disk list|snapshot|commit. LIBVIRT_DEFAULT_URI is not read: without --connect kvmj runs guests itself."})
    String connect;

    /** Without a subcommand: the usage on stderr, exit 2 (a usage error). */
    @Override
    public Integer call() {
        spec.commandLine().getErr().println(spec.qualifiedName() + ": missing a subcommand");
        spec.commandLine().usage(spec.commandLine().getErr());
        return ExitCodes.USAGE;
    }
}
