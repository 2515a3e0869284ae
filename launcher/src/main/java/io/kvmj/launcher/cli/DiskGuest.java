package io.kvmj.launcher.cli;

import java.io.PrintWriter;
import java.time.Duration;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * picocli {@code @Mixin} of the {@code kvmj disk} subcommands: the guest {@code NAME} (first positional), the
 * {@code --timeout} of {@link DiskCommand}, and the run skeleton that connects to the guest and maps failures to exit
 * codes. {@link DiskTarget} adds {@code DRIVE}.
 */
class DiskGuest {
    /** The subcommand this mixin is mixed into. */
    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @ParentCommand
    DiskCommand parent;

    @Parameters(index = "0", paramLabel = "NAME", description = "Guest name.")
    String name;

    /**
     * Connects to guest {@code NAME} within {@code --timeout}, runs {@code op} and returns its exit code; failures
     * become exit codes 1 or 2 as {@link DiskSupport#withGuest} describes.
     */
    final int withGuest(DiskSupport.GuestOp op) {
        return DiskSupport.withGuest(spec, name, Duration.ofSeconds(parent.timeout), op);
    }

    /** The subcommand's standard output. */
    final PrintWriter out() {
        return spec.commandLine().getOut();
    }

    /** The subcommand's standard error. */
    final PrintWriter err() {
        return spec.commandLine().getErr();
    }
}
