package io.kvmj.launcher;

import io.kvmj.core.model.CloudInitSpec;
import io.kvmj.core.model.GuestSpec;
import io.kvmj.core.qemu.QemuOpts;
import io.kvmj.core.qemu.ShellQuote;
import java.util.ArrayList;
import java.util.List;

/**
 * The exact QEMU invocation {@link Launcher} runs for a guest: {@link Launcher#launch(LaunchPlan)} executes
 * {@link #argv()} as it is, so what {@code kvmj run --dry-run} prints is what runs.
 *
 * <pre>{@code
 * LaunchPlan plan = launcher.plan(spec).withExtraArgs(List.of("-device", "pvpanic"));
 * System.out.println(plan.commandLine());   // dry run
 * Guest g = launcher.launch(plan);          // runs plan.argv(), nothing recomputed
 * }</pre>
 *
 * @param name        guest name
 * @param argv        the complete argv: the binary, then everything rendered from the guest spec including kvmj's
 *                    runtime parts (pidfile, QMP sockets, console, guest-agent channel), then any extra arguments
 * @param accelerator the accelerator chosen and why
 * @param warnings    the argv builder's warnings (one line each)
 * @param detached    whether the plan is for a detached guest (no QMP socket pointing back at the launching JVM)
 * @param console     whether the argv has kvmj's serial console (socket and log in the runtime directory)
 * @param cloudInit   the cloud-init seed to write into the runtime directory at launch (its path is in the argv),
 *                    or null
 * @param spec        the spec the plan was made from (recorded as {@code spec.json} in the runtime directory, so
 *                    {@code kvmj migrate}/{@code save} can start the guest again), or null for a raw argv
 * @param extraArgs   the raw arguments appended by {@link #withExtraArgs} (part of {@code argv}; recorded as
 *                    {@code qemuArgs} in the guest's record (guest.json), since {@code spec.json} cannot carry them)
 */
public record LaunchPlan(String name, List<String> argv, AcceleratorChoice accelerator, List<String> warnings,
                         boolean detached, boolean console, CloudInitSpec cloudInit, GuestSpec spec,
                         List<String> extraArgs) {
    public LaunchPlan {
        argv = List.copyOf(argv);
        warnings = List.copyOf(warnings);
        extraArgs = extraArgs == null ? List.of() : List.copyOf(extraArgs);
        if (argv.isEmpty()) {
            throw new IllegalArgumentException("empty argv");
        }
    }

    /** The argv without the binary. */
    public List<String> args() {
        return argv.subList(1, argv.size());
    }

    /** Same as {@link #args()} (kept for callers of the former field; runtime arguments are part of it now). */
    public List<String> guestArgs() {
        return args();
    }

    /**
     * This plan with raw QEMU arguments appended (e.g. {@code kvmj run --qemu-arg}); refuses arguments QEMU cannot
     * carry (newline, NUL).
     */
    public LaunchPlan withExtraArgs(List<String> extra) {
        if (extra.isEmpty()) {
            return this;
        }
        List<String> x = new ArrayList<>(extraArgs);
        x.addAll(extra);
        return new LaunchPlan(name, appended(extra), accelerator, warnings, detached, console, cloudInit, spec, x);
    }

    /**
     * This plan with arguments kvmj itself adds for one launch ({@code -incoming defer} of a migration's
     * destination, {@code -S}); unlike {@link #withExtraArgs} they are not recorded as the guest's raw arguments.
     */
    public LaunchPlan withLaunchArgs(List<String> args) {
        return new LaunchPlan(name, appended(args), accelerator, warnings, detached, console, cloudInit, spec,
                extraArgs);
    }

    private List<String> appended(List<String> extra) {
        List<String> a = new ArrayList<>(argv);
        for (String e : extra) {
            QemuOpts.checkCarriable("qemu-arg", e);
            a.add(e);
        }
        return a;
    }

    /** A plan with a recorded spec and no raw extra arguments. */
    public LaunchPlan(String name, List<String> argv, AcceleratorChoice accelerator, List<String> warnings,
                      boolean detached, boolean console, CloudInitSpec cloudInit, GuestSpec spec) {
        this(name, argv, accelerator, warnings, detached, console, cloudInit, spec, List.of());
    }

    /** A plan without a recorded spec. */
    public LaunchPlan(String name, List<String> argv, AcceleratorChoice accelerator, List<String> warnings,
                      boolean detached, boolean console, CloudInitSpec cloudInit) {
        this(name, argv, accelerator, warnings, detached, console, cloudInit, null);
    }

    /** A plan without a cloud-init seed. */
    public LaunchPlan(String name, List<String> argv, AcceleratorChoice accelerator, List<String> warnings,
                      boolean detached, boolean console) {
        this(name, argv, accelerator, warnings, detached, console, null, null);
    }

    /** The argv shell-quoted. */
    public String commandLine() {
        return ShellQuote.join(argv);
    }
}
