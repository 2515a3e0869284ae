package io.kvmj.launcher.cli;

import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParseResult;

/**
 * {@code kvmj -c/--connect URI CMD}: the libvirt URI given to the root command, and the guard that refuses it on
 * commands without a libvirt form. {@code LIBVIRT_DEFAULT_URI} is deliberately not read (unlike virsh): a user who
 * set it for virsh would otherwise see every {@code kvmj} command leave this host.
 */
final class ConnectOption {
    /** Commands that have a libvirt form ({@link LibvirtCli}). */
    static final List<String> SUPPORTED = List.of("run", "list", "stop", "qmp", "agent", "events", "console", "save",
            "restore");
    /** Subcommands (parent and name) that have a libvirt form ({@link LibvirtDiskCli}, {@link LibvirtDiskHotplugCli},
     * {@link LibvirtDiskBackupCli}). */
    static final List<String> SUPPORTED_SUB = List.of("disk list", "disk snapshot", "disk commit", "disk resize",
            "disk attach", "disk detach", "disk backup");

    private ConnectOption() {
    }

    /** The {@code --connect} URI of the command line {@code spec} belongs to, or {@code null}. */
    static String uri(CommandSpec spec) {
        Object root = spec.root().userObject();
        return root instanceof KvmjCommand k ? k.connect : null;
    }

    /** Runs the parsed command, after refusing {@code --connect} (exit 2) on commands that have no libvirt form. */
    static int execute(ParseResult parsed) {
        if (parsed.hasMatchedOption("--connect")) {
            List<CommandLine> chain = parsed.asCommandLineList();
            CommandLine leaf = chain.get(chain.size() - 1);
            String name = leaf.getCommandName();
            boolean help = leaf.isUsageHelpRequested() || leaf.isVersionHelpRequested();
            String sub = chain.size() == 3 ? chain.get(1).getCommandName() + " " + name : null;
            boolean supported = chain.size() == 2 ? SUPPORTED.contains(name) : SUPPORTED_SUB.contains(sub);
            if (chain.size() > 1 && !help && !supported) {
                String q = leaf.getCommandSpec().qualifiedName();
                leaf.getErr().println(q + ": --connect is not supported here (with libvirt: kvmj --connect URI "
                        + String.join("|", SUPPORTED) + ", "
                        + String.join(", ", SUPPORTED_SUB) + ")");
                leaf.getErr().flush();
                return ExitCodes.USAGE;
            }
            String uri = String.valueOf(parsed.matchedOptionValue("--connect", ""));
            if (uri.isBlank()) {
                leaf.getErr().println("kvmj: --connect: empty URI");
                leaf.getErr().flush();
                return ExitCodes.USAGE;
            }
        }
        return new CommandLine.RunLast().execute(parsed);
    }
}
