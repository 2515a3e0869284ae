package io.kvmj.launcher;

import io.kvmj.core.model.CloudInitSpec;
import io.kvmj.launcher.process.ShellQuote;
import java.util.List;

/**
 * The exact QEMU invocation {@link Launcher} would use for a guest (what {@code kvmj run --dry-run} prints).
 *
 * @param name        guest name
 * @param argv        full argv including the binary and kvmj's runtime arguments
 * @param guestArgs   the arguments rendered from the guest spec alone (no binary, no runtime arguments)
 * @param accelerator the accelerator chosen and why
 * @param warnings    the argv builder's warnings (one line each)
 * @param cloudInit   the cloud-init seed to write into the runtime directory at launch (its path is in the argv),
 *                    or null
 */
public record LaunchPlan(String name, List<String> argv, List<String> guestArgs, AcceleratorChoice accelerator,
                         List<String> warnings, CloudInitSpec cloudInit) {
    public LaunchPlan {
        argv = List.copyOf(argv);
        guestArgs = List.copyOf(guestArgs);
        warnings = List.copyOf(warnings);
    }

    /** A plan without a cloud-init seed. */
    public LaunchPlan(String name, List<String> argv, List<String> guestArgs, AcceleratorChoice accelerator,
                      List<String> warnings) {
        this(name, argv, guestArgs, accelerator, warnings, null);
    }

    /** The argv shell-quoted. */
    public String commandLine() {
        return ShellQuote.join(argv);
    }
}
