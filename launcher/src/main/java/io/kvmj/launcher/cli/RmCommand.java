package io.kvmj.launcher.cli;

import io.kvmj.launcher.GuestException;
import io.kvmj.launcher.GuestRegistry;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code kvmj rm NAME}: removes what a guest that is no longer running left behind (runtime directory, logs). */
@Command(name = "rm", mixinStandardHelpOptions = true,
        description = {"Remove the runtime directory of a guest that is not running, with its logs (console.log, "
            + "qemu.stderr). A detached guest whose QEMU exited keeps them until this (or 'kvmj stop NAME')."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:removed", "1:no such guest, or it is running", "2:bad usage"})
public final class RmCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "NAME", description = "Guest name.")
    String name;

    @Override
    public Integer call() {
        try {
            Path dir = GuestRegistry.remove(name);
            spec.commandLine().getOut().println("removed " + name + " (" + dir + ")");
            spec.commandLine().getOut().flush();
            return ExitCodes.OK;
        } catch (GuestException e) {
            spec.commandLine().getErr().println("kvmj rm: " + e.getMessage());
            return ExitCodes.FAILED;
        }
    }
}
