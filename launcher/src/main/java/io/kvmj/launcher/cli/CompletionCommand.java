package io.kvmj.launcher.cli;

import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.Spec;

/**
 * {@code kvmj generate-completion}: picocli's bash/zsh completion script, with every guest {@code NAME} argument
 * completing from {@code kvmj list --name} (the running guests, as {@code virsh} completes domain names).
 *
 * <pre>{@code
 * source <(kvmj generate-completion)
 * kvmj stop <TAB>       # the running guests' names
 * }</pre>
 */
@Command(name = "generate-completion", mixinStandardHelpOptions = true,
        description = {"Print a bash/zsh completion script for kvmj: subcommands, options, files, and guest NAMEs "
            + "(from 'kvmj list --name', run at completion time).", "Use: source <(kvmj generate-completion)"},
        exitCodeListHeading = "%nExit codes:%n", exitCodeList = {"0:script printed", "2:internal error"})
public final class CompletionCommand implements Callable<Integer> {
    /** The parameter label of a guest name. */
    static final String NAME_LABEL = "NAME";

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        CommandLine root = spec.root().commandLine();
        spec.commandLine().getOut().print(withGuestNames(AutoComplete.bash(root.getCommandName(), root), root.getCommandSpec()));
        spec.commandLine().getOut().flush();
        return ExitCodes.OK;
    }

    /**
     * {@code script} (picocli's, for {@code root}) with a guest-name completion in the function of every command
     * that takes a {@code NAME} positional, at that positional's index.
     *
     * @throws IllegalStateException when picocli's script does not have the expected shape (a picocli upgrade)
     */
    static String withGuestNames(String script, CommandSpec root) {
        String s = script;
        for (CommandLine sub : root.subcommands().values()) {
            s = walk(s, sub.getCommandSpec());
        }
        return s;
    }

    private static String walk(String script, CommandSpec cmd) {
        String s = script;
        for (PositionalParamSpec p : cmd.positionalParameters()) {
            if (NAME_LABEL.equals(p.paramLabel()) || p.paramLabel().startsWith(NAME_LABEL + " ")) {
                s = insert(s, cmd, p.index().min());
            }
        }
        for (CommandLine sub : cmd.subcommands().values()) {
            s = walk(s, sub.getCommandSpec());
        }
        return s;
    }

    private static String insert(String script, CommandSpec cmd, int index) {
        String fn = "function _picocli_" + cmd.qualifiedName("_").replace("-", "") + "() {\n";
        int start = script.indexOf(fn);
        int end = start < 0 ? -1 : script.indexOf("\n}\n", start);
        String marker = "    local positionals=\"\"\n";
        int at = start < 0 ? -1 : script.indexOf(marker, start);
        if (at < 0 || at > end) {
            throw new IllegalStateException("completion script: no positionals in " + fn.strip());
        }
        String names = "    local kvmjNameIndex\n"
                + "    kvmjNameIndex=$(currentPositionalIndex \"" + cmd.name() + "\" \"${arg_opts}\" \"${flag_opts}\")\n"
                + "    if (( kvmjNameIndex == " + index + " )); then\n"
                + "      local IFS=$'\\n'\n"
                + "      positionals=$( " + cmd.root().name() + " list --name 2>/dev/null ) # running guests\n"
                + "    fi\n";
        int insertAt = at + marker.length();
        return script.substring(0, insertAt) + names + script.substring(insertAt);
    }
}
