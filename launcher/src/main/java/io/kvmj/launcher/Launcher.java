package io.kvmj.launcher;

import io.kvmj.core.host.HostEnvironment;
import io.kvmj.core.model.Accelerator;
import io.kvmj.core.model.CloudInitSpec;
import io.kvmj.core.model.GuestSpec;
import io.kvmj.core.model.NetKind;
import io.kvmj.core.model.NicSpec;
import io.kvmj.core.model.PortForward;
import io.kvmj.core.model.QmpEndpoint;
import io.kvmj.core.model.SerialSpec;
import io.kvmj.core.model.VirtioSerialChannel;
import io.kvmj.core.qemu.QemuCommand;
import io.kvmj.core.qemu.QemuCommandLine;
import io.kvmj.core.qemu.QemuOpts;
import io.kvmj.core.qemu.Warning;
import io.kvmj.launcher.cloudinit.CloudInitSeed;
import io.kvmj.launcher.cloudinit.SshUser;
import io.kvmj.launcher.cloudinit.WrittenSeed;
import io.kvmj.launcher.migrate.MachinePinning;
import io.kvmj.launcher.migrate.TcgDirtyTracking;
import io.kvmj.launcher.process.FileTail;
import io.kvmj.launcher.process.QemuProcess;
import io.kvmj.launcher.process.QemuStartException;
import io.kvmj.launcher.process.RuntimeDir;
import io.kvmj.launcher.process.RuntimeDirException;
import io.kvmj.qmp.QmpClient;
import io.kvmj.qmp.QmpClientOptions;
import io.kvmj.qmp.QmpListener;
import io.kvmj.qmp.QmpMonitor;
import io.kvmj.qmp.command.QueryStatus;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts QEMU guests and returns {@link Guest} handles.
 *
 * <p>{@link #plan(GuestSpec)} puts kvmj's runtime parts into the spec ({@code -pidfile}, a server-mode QMP socket for
 * other processes, for attached guests a client-mode QMP socket this JVM listens on <em>before</em> spawning, the
 * serial console socket with a QEMU-written log, the guest-agent channel) and renders the complete argv once;
 * {@link #launch(LaunchPlan)} claims the runtime directory (the name must not belong to a live guest), spawns
 * QEMU (see {@link QemuProcess} for the no-orphan design) and waits, bounded, until QMP is negotiated. Any failure
 * is a {@link LaunchException} with exit code, argv and QEMU's stderr tail; nothing is left behind.
 *
 * <p>Thread-safe and stateless; launches may run concurrently.
 *
 * <pre>{@code
 * Launcher launcher = Launcher.create();
 * LaunchPlan plan = launcher.plan(spec);          // plan.argv() is exactly what will run (kvmj run --dry-run)
 * try (Guest guest = launcher.launch(plan)) {
 *     guest.awaitConsole("login:", Duration.ofMinutes(5));
 *     ShutdownResult r = guest.shutdown(Duration.ofSeconds(60));   // ACPI, agent, quit, SIGTERM, SIGKILL
 *     System.out.println(r.how() + " after " + r.steps());
 * }
 * }</pre>
 */
public final class Launcher {
    private static final Logger LOG = LoggerFactory.getLogger(Launcher.class);

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
     * do it fails here, before spawning), renders the argv, spawns and waits until QMP is ready. Same as
     * {@code launch(plan(spec))}.
     *
     * @throws LaunchException on any failure, with QEMU's exit code, argv and stderr tail when it ran
     */
    public Guest launch(GuestSpec spec) {
        return launch(plan(spec));
    }

    /**
     * What {@link #launch(GuestSpec)} runs, without running it (the runtime directory is not claimed; its paths are
     * deterministic, {@link RuntimeDir#locate(String)}). kvmj's runtime parts go into the spec, so
     * {@link LaunchPlan#argv()} is the complete argv: {@code -name}, {@code -pidfile}, the QMP sockets (server,
     * events, and for attached guests the client-mode socket this JVM listens on), the console as the first serial
     * port (a socket with a QEMU-written log) and, on boards with a PCI bus, the guest-agent channel
     * ({@link RuntimeDir#agentSocket()}). A pidfile, console or agent channel of {@code spec} on the same paths is
     * not added twice; the spec's own QMP endpoints and serials follow kvmj's. A migratable guest's board is pinned
     * to the versioned type QEMU resolves its alias to ({@link MachinePinning}), recorded with the spec
     * ({@code spec.json}, and {@code machine} in {@code guest.json}); under TCG its memory also gets 8 KiB more, the
     * workaround for QEMU's lost TCG writes during migration ({@link TcgDirtyTracking}).
     *
     * @throws LaunchException when the accelerator cannot be honoured or the spec is invalid
     */
    public LaunchPlan plan(GuestSpec spec) {
        return plan(spec, List.of());
    }

    /**
     * Like {@link #plan(GuestSpec)}, where {@code createdAtLaunch} (disk images the caller creates after planning and
     * before {@link #launch(LaunchPlan)}, e.g. {@code kvmj run --disk FILE,size=N}) count as existing.
     */
    public LaunchPlan plan(GuestSpec spec, java.util.Collection<Path> createdAtLaunch) {
        GuestSpec requested = spec;
        spec = MachinePinning.pin(options.qemuBinary(), spec);
        RuntimeDir dir = RuntimeDir.locate(spec.name());
        AcceleratorChoice accel = accelerators.choose(spec.accelerator());
        spec = TcgDirtyTracking.apply(requested, spec);
        CloudInitSpec cloudInit = spec.cloudInit() == null ? null
                : CloudInitSeed.attach(spec.cloudInit(), spec.name(), dir.path());
        GuestSpec.Builder b = withRuntimeParts(spec.toBuilder(), spec, dir)
                .accelerator("kvm".equals(accel.accelerator()) ? Accelerator.KVM : Accelerator.TCG)
                .cloudInit(cloudInit);
        withSshForward(b, spec);
        if (spec.vnc() != null && spec.vnc().password() != null && spec.vnc().passwordFile() == null) {
            b.vnc(spec.vnc().withPasswordFile(dir.vncPasswordFile())); // written at launch, see writeVncPassword
        }
        if (spec.machine().hasPciBus() && spec.channels().stream()
                .noneMatch(c -> c.name().equals(VirtioSerialChannel.GUEST_AGENT))) {
            b.channel(VirtioSerialChannel.guestAgent(dir.agentSocket()));
        }
        QemuCommand cmd;
        try {
            HostEnvironment host = HostEnvironment.system().withPlannedDirectory(dir.path());
            for (Path p : createdAtLaunch) {
                host = host.withPlannedFile(p);
            }
            cmd = new QemuCommandLine(options.qemuBinary(), host).render(b.build());
        } catch (RuntimeException e) {
            throw new LaunchException("invalid guest '" + spec.name() + "': " + e.getMessage(), null, List.of(), "", e);
        }
        return new LaunchPlan(spec.name(), cmd.argv(), accel, cmd.warnings().stream().map(Warning::toString).toList(),
                options.detached(), options.console(), cloudInit, spec);
    }

    /**
     * The plan for a raw QEMU argv ({@code args} without the binary, which comes from
     * {@link LaunchOptions#qemuBinary()}): kvmj's runtime part, rendered by the same renderer as for a spec
     * ({@link QemuCommandLine#renderRuntimePart}), then {@code args} as given. The guest-agent channel is added only
     * when {@code args} name a board with a PCI bus ({@code -machine q35…|pc…}); {@code -machine none} has no bus.
     * The accelerator is reported as found in {@code args}.
     */
    public LaunchPlan planArgv(String name, List<String> args) {
        RuntimeDir dir = RuntimeDir.locate(name);
        GuestSpec.Builder b = withRuntimeParts(GuestSpec.builder(name), null, dir);
        if (machineHasPciBus(args)) {
            b.channel(VirtioSerialChannel.guestAgent(dir.agentSocket()));
        }
        QemuCommand cmd;
        try {
            args.forEach(a -> QemuOpts.checkCarriable("argument", a));
            cmd = renderer(dir).renderRuntimePart(b.build());
        } catch (RuntimeException e) {
            throw new LaunchException("invalid guest '" + name + "': " + e.getMessage(), null, List.of(), "", e);
        }
        return new LaunchPlan(name, cmd.argv(), acceleratorFromArgs(args), List.of(), options.detached(),
                options.console()).withExtraArgs(args);
    }

    /** The options of this launcher. */
    public LaunchOptions options() {
        return options;
    }

    /**
     * Launches QEMU from a raw argv (without the binary, which comes from {@link LaunchOptions#qemuBinary()}); same as
     * {@code launch(planArgv(name, args))}.
     */
    public Guest launchArgv(String name, List<String> args) {
        return launch(planArgv(name, args));
    }

    /**
     * Launches a plan made by {@link #plan(GuestSpec)} or {@link #planArgv(String, List)} (possibly with
     * {@link LaunchPlan#withExtraArgs extra arguments}): claims the runtime directory and executes exactly
     * {@code plan.argv()}. The plan's {@code detached} and {@code console} settings apply.
     *
     * @throws LaunchException on any failure, with QEMU's exit code, argv and stderr tail when it ran
     */
    public Guest launch(LaunchPlan plan) {
        plan.warnings().forEach(w -> LOG.warn("guest {}: {}", plan.name(), w));
        String name = plan.name();
        List<String> argv = plan.argv();
        AcceleratorChoice accel = plan.accelerator();
        LaunchOptions opts = options.withDetached(plan.detached()).withConsole(plan.console());
        RuntimeDir planned = RuntimeDir.locate(name);
        if (!argv.contains(planned.pidFile().toString())) {
            throw new LaunchException("the plan for guest '" + name + "' has no -pidfile " + planned.pidFile()
                    + " (made for another runtime directory?)", null, argv, "", null);
        }
        long t0 = System.nanoTime();
        RuntimeDir dir;
        try {
            dir = RuntimeDir.claim(name);
        } catch (RuntimeDirException e) {
            throw new LaunchException(e.getMessage(), null, List.of(), "", null);
        }
        QmpListener listener = null;
        QemuProcess proc = null;
        boolean ok = false;
        try {
            dir.update(r -> r.toBuilder().detached(opts.detached()).accelerator(accel.accelerator())
                    .acceleratorReason(accel.reason()).qmpSocket(dir.qmpSocket().toString())
                    .consoleSocket(dir.consoleSocket().toString()).console(opts.console()).argv(argv).build());
            if (plan.cloudInit() != null) {
                writeSeed(name, dir, plan.cloudInit());
            }
            if (!plan.extraArgs().isEmpty()) {
                dir.update(r -> r.toBuilder().qemuArgs(plan.extraArgs()).build());
            }
            if (plan.spec() != null) {
                SpecFile.write(dir, plan.spec());
                if (plan.spec().machineVersion() != null) {
                    dir.update(r -> r.toBuilder().machine(plan.spec().machineVersion()).build());
                }
            }
            writeVncPassword(plan, dir); // kept while the guest lives (SpecFile.readWithSecrets)
            QmpClientOptions qo = QmpClientOptions.builder().name("qmp-" + name)
                    .connectTimeout(opts.readyTimeout()).handshakeTimeout(opts.readyTimeout()).build();
            CompletableFuture<QmpClient> ready;
            long prepared;
            if (!opts.detached()) {
                listener = QmpListener.listen(dir.qmpListenSocket(), qo);
                prepared = System.nanoTime();
                proc = QemuProcess.start(argv, dir.stderrLog(), false, opts.readyTimeout());
                ready = listener.accept(opts.readyTimeout());
            } else {
                prepared = System.nanoTime();
                proc = QemuProcess.start(argv, dir.stderrLog(), true, opts.readyTimeout());
                ready = QmpClient.connect(dir.qmpSocket(), qo);
            }
            QemuProcess spawned = proc;
            dir.update(r -> r.toBuilder().pid(spawned.pid()).orphanProtection(spawned.protection().name()).build());
            long started = System.nanoTime();
            QmpMonitor qmp = awaitReady(proc, ready, argv);
            long negotiated = System.nanoTime();
            boolean paused = !qmp.call(new QueryStatus(), opts.readyTimeout()).running();
            UserNetForwards.recordSshPort(name, dir, qmp, argv);
            Guest g = new Guest(name, dir, proc, qmp, listener, accel, opts, paused,
                    LaunchTimings.of(t0, prepared, started, negotiated, System.nanoTime()));
            LOG.info("guest {} up: pid {}, accel {} ({}), {}; {}", name, proc.pid(), accel.accelerator(),
                    accel.reason(), proc.protection(), g.launchTimings());
            ok = true;
            return g;
        } catch (LaunchException e) {
            throw e;
        } catch (QemuStartException e) {
            throw new LaunchException(e.getMessage(), null, argv, "", e.getCause());
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

    /**
     * Writes a VNC password given as text into the claimed runtime directory (mode 0600, created new) for QEMU's
     * {@code -object secret,file=}; returns the file, or null when the plan has none.
     */
    private static Path writeVncPassword(LaunchPlan plan, RuntimeDir dir) {
        if (plan.spec() == null || plan.spec().vnc() == null || plan.spec().vnc().password() == null
                || plan.spec().vnc().passwordFile() != null) {
            return null;
        }
        Path file = dir.vncPasswordFile();
        String fileOpt = QemuOpts.keys("object").add("file", file.toString()).render();
        if (plan.argv().stream().noneMatch(a -> a.startsWith("secret,") && a.contains(fileOpt))) {
            throw new LaunchException("the plan for guest '" + plan.name() + "' does not read the VNC password from "
                    + file + " (made for another runtime directory?)");
        }
        try (var ch = Files.newByteChannel(file, java.util.Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))) {
            ch.write(java.nio.ByteBuffer.wrap(plan.spec().vnc().password().getBytes(StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new LaunchException("cannot write the VNC password file " + file + ": " + e);
        }
        return file;
    }

    /** Writes the cloud-init seed into the claimed runtime directory and records it in {@code guest.json}. */
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
        dir.update(r -> r.toBuilder().cloudInitSeed(seed.iso().toString())
                .cloudInitSshUser(seed.sshUser().map(SshUser::toString).orElse("")).build());
        LOG.info("guest {}: cloud-init seed {} ({}), instance-id {}, ssh user {}", name, seed.iso(),
                String.join(", ", seed.files()), seed.instanceId(), seed.sshUser().map(SshUser::toString).orElse("unknown"));
    }

    private QemuCommandLine renderer(RuntimeDir dir) {
        return new QemuCommandLine(options.qemuBinary(), HostEnvironment.system().withPlannedDirectory(dir.path()));
    }

    /**
     * kvmj's runtime parts on {@code b}: pidfile, QMP sockets first, the console as the first serial port; the parts of
     * {@code spec} (may be null) follow, minus a console on kvmj's own socket.
     */
    private GuestSpec.Builder withRuntimeParts(GuestSpec.Builder b, GuestSpec spec, RuntimeDir dir) {
        b.pidfile(dir.pidFile()).clearQmp().clearSerials();
        b.qmp(QmpEndpoint.unixServer(dir.qmpSocket())).qmp(QmpEndpoint.unixServer(dir.eventsSocket()));
        if (!options.detached()) {
            b.qmp(QmpEndpoint.unixClient(dir.qmpListenSocket()));
        }
        if (options.console()) {
            b.serial(SerialSpec.unixSocket(dir.consoleSocket()).withLog(dir.consoleLog()));
        }
        if (spec != null) {
            spec.qmp().forEach(b::qmp);
            spec.serials().stream().filter(s -> !dir.consoleSocket().equals(s.path())).forEach(b::serial);
        }
        return b;
    }

    /**
     * The first user-mode NIC forwards a free 127.0.0.1 port to guest port 22 ({@code hostfwd=tcp:127.0.0.1:0-:22};
     * QEMU binds the port, so there is no race for it), unless some user-mode NIC already forwards guest port 22.
     * After launch the bound port is asked of QEMU and recorded ({@link UserNetForwards}); {@code kvmj ssh} uses it.
     */
    private static void withSshForward(GuestSpec.Builder b, GuestSpec spec) {
        boolean has22 = spec.nics().stream().anyMatch(n -> n.forwards().stream()
                .anyMatch(f -> f.protocol() == PortForward.Protocol.TCP && f.guestPort() == 22));
        if (has22 || spec.nics().stream().noneMatch(n -> n.kind() == NetKind.USER)) {
            return;
        }
        b.clearNics();
        boolean added = false;
        for (NicSpec n : spec.nics()) {
            if (!added && n.kind() == NetKind.USER) {
                b.nic(n.forward(new PortForward(PortForward.Protocol.TCP, "127.0.0.1", 0, 22)));
                added = true;
            } else {
                b.nic(n);
            }
        }
    }

    /** True when {@code args} name a board with a PCI bus: {@code -machine}/{@code -M} type q35… or pc…. */
    static boolean machineHasPciBus(List<String> args) {
        for (int i = 0; i < args.size() - 1; i++) {
            if (args.get(i).equals("-machine") || args.get(i).equals("-M")) {
                String v = args.get(i + 1);
                String type = v.startsWith("type=") ? v.substring(5).split(",")[0] : v.split(",")[0];
                return type.startsWith("q35") || type.equals("pc") || type.startsWith("pc-");
            }
        }
        return false;
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
