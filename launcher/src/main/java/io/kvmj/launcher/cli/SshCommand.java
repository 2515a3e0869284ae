package io.kvmj.launcher.cli;

import io.kvmj.launcher.GuestException;
import io.kvmj.launcher.GuestInfo;
import io.kvmj.launcher.GuestRegistry;
import io.kvmj.launcher.ssh.SshAccess;
import io.kvmj.launcher.ssh.SshInvocation;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code kvmj ssh NAME [-i KEY] [-l USER] [-- CMD...]}: runs the system {@code ssh} against a guest's forwarded
 * port (127.0.0.1, chosen free at launch), as the user cloud-init gave the key to, with the guest's host keys
 * pinned (read through the guest agent) or, without an agent, trusted on first use and checked afterwards.
 */
@Command(name = "ssh", mixinStandardHelpOptions = true,
        description = {"Open an ssh session to a running guest, or run CMD in it.",
            "The port is the one kvmj forwarded to guest port 22 at launch (user networking); the user is the one"
                + " 'run --cloud-init ssh-key=' gave access to (root unless user-data says otherwise).",
            "Host keys: read from the guest through its agent and pinned; without an agent they are trusted on first"
                + " use and a changed key is refused by ssh (never StrictHostKeyChecking=no)."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0..254:ssh's own exit status (the remote command's, or 255 for an ssh error)",
            "1:the guest is not running or has no ssh port forward", "2:bad usage"})
public final class SshCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "-i", paramLabel = "KEY", description = "Private key (default: the key given to cloud-init at"
            + " launch when its private half sits beside the .pub, else ssh's own defaults).")
    Path identity;

    @Option(names = "-l", paramLabel = "USER", description = "Guest user (default: as recorded at launch, else root).")
    String user;

    @Option(names = "--print", description = "Print the ssh command instead of running it.")
    boolean print;

    @Parameters(index = "0", paramLabel = "NAME", description = "Guest name.")
    String name;

    @Parameters(index = "1..*", paramLabel = "CMD", description = "Command to run in the guest (after --).")
    List<String> command = new ArrayList<>();

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        GuestInfo g;
        try {
            g = GuestRegistry.require(name);
        } catch (GuestException e) {
            err.println("kvmj ssh: " + e.getMessage());
            return ExitCodes.FAILED;
        }
        if (identity != null && !identity.toFile().isFile()) {
            err.println("kvmj ssh: -i " + identity + ": no such file");
            return ExitCodes.USAGE;
        }
        SshInvocation inv;
        try {
            inv = SshAccess.forGuest(g).invocation(user, identity, command);
        } catch (GuestException e) {
            err.println("kvmj ssh: " + e.getMessage());
            return ExitCodes.FAILED;
        }
        inv.notes().forEach(n -> err.println("kvmj ssh: " + n));
        if (print) {
            spec.commandLine().getOut().println(io.kvmj.core.qemu.ShellQuote.join(inv.argv()));
            spec.commandLine().getOut().flush();
            return ExitCodes.OK;
        }
        err.flush();
        try {
            Process p = new ProcessBuilder(inv.argv()).inheritIO().start();
            return p.waitFor();
        } catch (IOException e) {
            err.println("kvmj ssh: cannot run ssh (" + e.getMessage() + "): install openssh-client");
            return ExitCodes.FAILED;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ExitCodes.INTERRUPTED;
        }
    }
}
