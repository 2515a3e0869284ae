package io.kvmj.launcher;

import io.kvmj.core.model.Accelerator;
import io.kvmj.core.model.CloudInitSpec;
import io.kvmj.core.model.GuestSpec;
import io.kvmj.core.qemu.HostEnvironment;
import io.kvmj.core.qemu.QemuCommand;
import io.kvmj.core.qemu.QemuCommandLine;
import io.kvmj.core.qemu.Warning;
import io.kvmj.launcher.cloudinit.CloudInitSeed;
import io.kvmj.launcher.cloudinit.SshUser;
import io.kvmj.launcher.cloudinit.WrittenSeed;
import io.kvmj.launcher.process.FileTail;
import io.kvmj.launcher.process.QemuProcess;
import io.kvmj.launcher.process.RuntimeDir;
import io.kvmj.launcher.process.ShellQuote;
import io.kvmj.qmp.QmpClient;
import io.kvmj.qmp.QmpClientOptions;
import io.kvmj.qmp.QmpListener;
import io.kvmj.qmp.QmpMonitor;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts QEMU guests and returns {@link Guest} handles.
 *
 * <p>Per launch: claims the runtime directory (the name must not belong to a live guest), adds kvmj's runtime
 * arguments ({@code -pidfile}, a server-mode QMP socket for other processes, for attached guests a client-mode QMP
 * socket this JVM listens on <em>before</em> spawning, the serial console socket with a QEMU-written log), spawns
 * QEMU (see {@link QemuProcess} for the no-orphan design) and waits, bounded, until QMP is negotiated. Any failure
 * is a {@link LaunchException} with exit code, argv and QEMU's stderr tail; nothing is left behind.
 *
 * <p>Thread-safe and stateless; launches may run concurrently.
 */
public final class Launcher {
    private static final Logger LOG = LoggerFactory.getLogger(Launcher.class);
    static final String CONSOLE_ID = "kvmj-console";

    private final LaunchOptions options;
    private final AcceleratorPolicy accelerators;

    private Launcher(LaunchOptions options, AcceleratorPolicy accelerators) {
        this.options = options;
        this.accelerators = accelerators;
    }

    /** A launcher with {@link LaunchOptions#defaults()} and the host-probe accelerator policy. */
    public static Launcher create() {
        return create(LaunchOptions.defaults());
    }

    /** A launcher with the given options and the host-probe accelerator policy. */
    public static Launcher create(LaunchOptions options) {
        return new Launcher(options, AcceleratorPolicy.probing());
    }

    /** A launcher with the given options and accelerator policy. */
    public static Launcher create(LaunchOptions options, AcceleratorPolicy accelerators) {
        return new Launcher(options, accelerators);
    }

    /**
     * Launches {@code spec}: resolves its accelerator ({@link AcceleratorPolicy}; {@code KVM} on a host that cannot
     * do it fails here, before spawning), renders the argv, spawns and waits until QMP is ready.
     *
     * @throws LaunchException on any failure, with QEMU's exit code, argv and stderr tail when it ran
     */
    public Guest launch(GuestSpec spec) {
        return launch(plan(spec));
    }

    /** Launches a plan made by {@link #plan(GuestSpec)} (possibly with arguments added to its guest arguments). */
    public Guest launch(LaunchPlan plan) {
        plan.warnings().forEach(w -> LOG.warn("guest {}: {}", plan.name(), w));
        return launch(plan.name(), plan.guestArgs(), plan.accelerator(), plan.cloudInit());
    }

    /**
     * What {@link #launch(GuestSpec)} would run, without running it (the runtime directory is not claimed).
     *
     * @throws LaunchException when the accelerator cannot be honoured or the spec is invalid
     */
    public LaunchPlan plan(GuestSpec spec) {
        RuntimeDir.validateName(spec.name());
        AcceleratorChoice accel = accelerators.choose(spec.accelerator());
        CloudInitSpec cloudInit = spec.cloudInit() == null ? null
                : CloudInitSeed.attach(spec.cloudInit(), spec.name(), RuntimeDir.locate(spec.name()).path());
        GuestSpec resolved = spec.toBuilder()
                .accelerator("kvm".equals(accel.accelerator()) ? Accelerator.KVM : Accelerator.TCG)
                .pidfile(null)
                .cloudInit(cloudInit)
                .build();
        QemuCommand cmd;
        try {
            cmd = new QemuCommandLine(options.qemuBinary(), HostEnvironment.system()).render(resolved);
        } catch (RuntimeException e) {
            throw new LaunchException("invalid guest '" + spec.name() + "': " + e.getMessage(), null, List.of(), "", e);
        }
        List<String> argv = new ArrayList<>();
        argv.add(options.qemuBinary());
        argv.addAll(runtimeArgs(spec.name(), RuntimeDir.locate(spec.name()), cmd.args()));
        argv.addAll(cmd.args());
        return new LaunchPlan(spec.name(), argv, cmd.args(), accel,
                cmd.warnings().stream().map(Warning::toString).toList(), cloudInit);
    }


    /** The options of this launcher. */
    public LaunchOptions options() {
        return options;
    }

    /**
     * Launches QEMU from a raw argv (without the binary, which comes from {@link LaunchOptions#qemuBinary()}). kvmj
     * adds its runtime arguments; the accelerator is reported as found in {@code args}.
     */
    public Guest launchArgv(String name, List<String> args) {
        return launch(name, args, acceleratorFromArgs(args));
    }

    /** Launch with a resolved accelerator choice; {@code args} exclude the binary. */
    Guest launch(String name, List<String> args, AcceleratorChoice accel) {
        return launch(name, args, accel, null);
    }

    /** As {@link #launch(String, List, AcceleratorChoice)}, writing {@code cloudInit}'s seed (if any) first. */
    Guest launch(String name, List<String> args, AcceleratorChoice accel, CloudInitSpec cloudInit) {
        RuntimeDir dir = RuntimeDir.claim(name);
        List<String> argv = new ArrayList<>();
        argv.add(options.qemuBinary());
        argv.addAll(runtimeArgs(name, dir, args));
        argv.addAll(args);
        QmpListener listener = null;
        QemuProcess proc = null;
        boolean ok = false;
        try {
            dir.writeInfo(Map.of("detached", Boolean.toString(options.detached()),
                    "accelerator", accel.accelerator(), "acceleratorReason", accel.reason(),
                    "qmpSocket", dir.qmpSocket().toString(), "consoleSocket", dir.consoleSocket().toString(),
                    "console", Boolean.toString(options.console()), "argv", ShellQuote.join(argv)));
            if (cloudInit != null) {
                writeSeed(name, dir, cloudInit);
            }
            QmpClientOptions qo = QmpClientOptions.builder().name("qmp-" + name)
                    .connectTimeout(options.readyTimeout()).handshakeTimeout(options.readyTimeout()).build();
            CompletableFuture<QmpClient> ready;
            if (!options.detached()) {
                listener = QmpListener.listen(dir.qmpListenSocket(), qo);
                proc = QemuProcess.start(argv, dir.stderrLog(), false, options.readyTimeout());
                ready = listener.accept(options.readyTimeout());
            } else {
                proc = QemuProcess.start(argv, dir.stderrLog(), true, options.readyTimeout());
                ready = QmpClient.connect(dir.qmpSocket(), qo);
            }
            dir.writeInfo(Map.of("pid", Long.toString(proc.pid()), "orphanProtection", proc.protection().name()));
            QmpMonitor qmp = awaitReady(proc, ready, argv);
            boolean paused = !qmp.call("query-status", null, options.readyTimeout()).path("running").asBoolean(true);
            Guest g = new Guest(name, dir, proc, qmp, listener, accel, options, paused);
            LOG.info("guest {} up: pid {}, accel {} ({}), {}", name, proc.pid(), accel.accelerator(), accel.reason(),
                    proc.protection());
            ok = true;
            return g;
        } catch (LaunchException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new LaunchException("launch of guest '" + name + "' failed: " + e.getMessage(),
                    proc != null && proc.exitCode().isPresent() ? proc.exitCode().getAsInt() : null, argv,
                    FileTail.of(dir.stderrLog()), e);
        } finally {
            if (!ok) {
                if (proc != null && proc.isAlive()) {
                    proc.kill(Duration.ofSeconds(5));
                }
                if (listener != null) {
                    listener.close();
                }
                dir.delete();
            }
        }
    }

    /** Writes the cloud-init seed into the claimed runtime directory and records it in {@code guest.properties}. */
    private static void writeSeed(String name, RuntimeDir dir, CloudInitSpec cloudInit) {
        if (!dir.path().toAbsolutePath().equals(cloudInit.seed().getParent())) {
            throw new LaunchException("cloud-init seed " + cloudInit.seed() + " is not in the runtime directory "
                    + dir.path() + " (plan and launch disagree)");
        }
        WrittenSeed seed;
        try {
            seed = CloudInitSeed.write(cloudInit);
        } catch (IOException e) {
            throw new LaunchException("cannot write the cloud-init seed " + cloudInit.seed() + ": " + e);
        }
        dir.writeInfo(Map.of("cloudInitSeed", seed.iso().toString(),
                "cloudInitSshUser", seed.sshUser().map(SshUser::toString).orElse("")));
        LOG.info("guest {}: cloud-init seed {} ({}), instance-id {}, ssh user {}", name, seed.iso(),
                String.join(", ", seed.files()), seed.instanceId(), seed.sshUser().map(SshUser::toString).orElse("unknown"));
    }

    private QmpMonitor awaitReady(QemuProcess proc, CompletableFuture<QmpClient> ready, List<String> argv) {
        Duration timeout = options.readyTimeout();
        CompletableFuture<Integer> exit = proc.onExit();
        try {
            CompletableFuture.anyOf(ready, exit).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            proc.kill(Duration.ofSeconds(5));
            ready.thenAcceptAsync(QmpClient::close);
            throw new LaunchException("QEMU did not complete the QMP handshake within " + timeout.toMillis()
                    + " ms; QEMU was killed", null, argv, proc.stderrTail(), null);
        } catch (ExecutionException e) {
            // one of them failed: handled below
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            proc.kill(Duration.ofSeconds(5));
            throw new LaunchException("interrupted while waiting for QEMU", null, argv, proc.stderrTail(), e);
        }
        if (!proc.isAlive() || exit.isDone()) {
            ready.thenAcceptAsync(QmpClient::close);
            int code = proc.waitFor(Duration.ofSeconds(5)).orElse(-1);
            throw new LaunchException("QEMU exited during launch", code, argv, proc.stderrTail(), null);
        }
        try {
            return ready.getNow(null);
        } catch (RuntimeException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            // QEMU may be dying right now: prefer its own message
            Integer code = proc.waitFor(Duration.ofMillis(500)).isPresent() ? proc.exitCode().getAsInt() : null;
            throw new LaunchException(code != null ? "QEMU exited during launch"
                    : "QMP handshake failed: " + cause.getMessage(), code, argv, proc.stderrTail(), cause);
        }
    }

    /** kvmj's runtime arguments, inserted right after the binary (so the console is the first serial port). */
    List<String> runtimeArgs(String name, RuntimeDir dir, List<String> args) {
        List<String> a = new ArrayList<>();
        if (!args.contains("-name")) {
            a.addAll(List.of("-name", "guest=" + opt(name)));
        }
        a.addAll(List.of("-pidfile", dir.pidFile().toString()));
        a.addAll(List.of("-qmp", "unix:" + opt(dir.qmpSocket().toString()) + ",server=on,wait=off"));
        a.addAll(List.of("-qmp", "unix:" + opt(dir.eventsSocket().toString()) + ",server=on,wait=off"));
        if (!options.detached()) {
            a.addAll(List.of("-qmp", "unix:" + opt(dir.qmpListenSocket().toString())));
        }
        if (options.console()) {
            a.addAll(List.of("-chardev", "socket,id=" + CONSOLE_ID + ",path=" + opt(dir.consoleSocket().toString())
                    + ",server=on,wait=off,logfile=" + opt(dir.consoleLog().toString()) + ",logappend=on",
                    "-serial", "chardev:" + CONSOLE_ID));
        }
        return a;
    }

    /** Escapes a value for QEMU's option syntax (a comma is written doubled). */
    static String opt(String value) {
        return value.replace(",", ",,");
    }

    static AcceleratorChoice acceleratorFromArgs(List<String> args) {
        for (int i = 0; i < args.size() - 1; i++) {
            String a = args.get(i);
            String v = args.get(i + 1);
            if (a.equals("-accel")) {
                return new AcceleratorChoice(v.split(",")[0], "given in the QEMU arguments");
            }
            if ((a.equals("-machine") || a.equals("-M")) && v.contains("accel=")) {
                String acc = v.substring(v.indexOf("accel=") + 6).split(",")[0];
                return new AcceleratorChoice(acc, "given in the QEMU arguments");
            }
        }
        if (args.contains("-enable-kvm")) {
            return new AcceleratorChoice("kvm", "given in the QEMU arguments");
        }
        return new AcceleratorChoice("tcg", "QEMU's default (no accelerator in the arguments)");
    }
}
