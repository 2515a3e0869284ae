package io.kvmj.launcher.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kvmj.core.model.Accelerator;
import io.kvmj.core.model.CdRom;
import io.kvmj.core.model.CpuModel;
import io.kvmj.core.model.GuestSpec;
import io.kvmj.core.model.InvalidSpecException;
import io.kvmj.core.model.MachineType;
import io.kvmj.core.model.MemoryBackend;
import io.kvmj.core.model.MemorySpec;
import io.kvmj.core.model.NicSpec;
import io.kvmj.core.model.NumaNode;
import io.kvmj.core.model.PciHostDevice;
import io.kvmj.core.model.UsbHostDevice;
import io.kvmj.core.spec.GuestSpecJson;
import io.kvmj.launcher.Guest;
import io.kvmj.launcher.GuestInfo;
import io.kvmj.launcher.LaunchException;
import io.kvmj.launcher.LaunchOptions;
import io.kvmj.launcher.LaunchPlan;
import io.kvmj.launcher.Launcher;
import io.kvmj.launcher.ShutdownResult;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code kvmj run}: start a guest, virt-install style. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Start a QEMU guest (virt-install vocabulary).",
            "Without --detach it runs in the foreground until the guest ends; Ctrl-C asks for a graceful "
                + "shutdown (ACPI power-down, then quit, SIGTERM, SIGKILL). QEMU never outlives this command "
                + "unless --detach is given."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:guest launched (--detach), plan printed (--dry-run), or guest ended gracefully",
            "1:launch failed, or the guest ended badly (crash, killed)", "2:bad usage"})
public final class RunCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--name", description = "Guest name, unique per user (letters, digits, . _ -). Required unless --spec.")
    String name;

    @Option(names = "--spec", paramLabel = "FILE", description = "The guest from a kvmj spec file (JSON, "
            + "kvmjSpecVersion 1; the output of --dry-run --json or 'kvmj import' works as is; - = stdin). The other "
            + "guest options are refused with it.")
    String specFile;

    @Option(names = "--memory", defaultValue = "512", paramLabel = "SIZE", converter = MemorySizeConverter.class,
            description = "Memory: MiB, or with a unit as qemu -m takes it (512M, 2G; default ${DEFAULT-VALUE} MiB).")
    long memory;

    @Option(names = "--vcpus", defaultValue = "1", description = "Number of vCPUs (default ${DEFAULT-VALUE}).")
    int vcpus;

    @Option(names = "--cpu", paramLabel = "MODEL", description = "CPU model: max (default; every feature the "
            + "accelerator gives, TCG included), host-passthrough (also host, host-model: QEMU's -cpu host, KVM only; "
            + "refused under TCG) or a QEMU model name (qemu-system-x86_64 -cpu help), e.g. Skylake-Client.")
    String cpu;

    @Option(names = "--machine", defaultValue = "q35", description = "Board: q35, pc, microvm (default ${DEFAULT-VALUE}).")
    String machine;

    @Option(names = "--disk", paramLabel = "SPEC", description = {"FILE or path=FILE [,format=FMT] "
            + "[,cache=MODE] [,io=MODE] [,bus=virtio|scsi|ide|sata] [,readonly=on] [,serial=S] [,disposable=on] "
            + "[,size=GiB], "
            + "written without spaces; FMT: raw, qcow2, or read-only vmdk, vdi, vhdx, vpc (detected as QEMU does "
            + "when not given; a block device attaches as host_device); cache: none, writeback, writethrough, "
            + "directsync or unsafe (unsafe needs disposable=on: a scratch disk whose data may be lost); io (or aio): "
            + "threads, native or io_uring; virt-install's driver.io=, driver.cache=, driver.type= work too; a comma "
            + "in a value is written ',,' or the value quoted \"...\". size= creates a missing FILE at launch, as "
            + "virt-install: GiB (0.5 works; or with a unit, 64M), format= or the extension .raw/.qcow2, else qcow2; "
            + "an existing FILE is used as it is. Repeatable."})
    List<String> disks = new ArrayList<>();

    @Option(names = "--hotplug-slots", paramLabel = "N", defaultValue = "0",
            description = "Spare PCIe root ports on q35 for disks hot-plugged later with 'kvmj disk attach' "
                    + "(bus=virtio; 0..16, default ${DEFAULT-VALUE}). pc hot-plugs into pci.0 without them; SCSI disks "
                    + "need none.")
    int hotplugSlots;

    @Option(names = "--share", paramLabel = "SPEC", description = "HOSTDIR,tag=TAG [,security=MODEL] [,readonly=on]: a "
            + "virtio-9p share; MODEL: mapped-xattr (default), mapped-file, passthrough or none. Repeatable.")
    List<String> shares = new ArrayList<>();

    @Option(names = "--network", paramLabel = "SPEC", description = "user [,hostfwd=tcp:[ADDR]:HOSTPORT-:GUESTPORT]... "
            + "[,restrict=on] [,mac=M] | tap,ifname=TAP | bridge=BR | none (default: none); hostfwd may be "
            + "repeated. Repeatable.")
    List<String> networks = new ArrayList<>();

    @Option(names = "--graphics", paramLabel = "SPEC", description = "none (default) or vnc[,listen=ADDR] "
            + "[,port=PORT|display=N] [,password=PW|password-file=FILE]; without port= the first free one from 5900 on. "
            + "Off loopback a password is required; QEMU gets it through a secret object read from a file, never on "
            + "its command line (password= stays visible in this command's own argv: prefer password-file).")
    String graphics;

    @Option(names = "--kernel", description = "Direct kernel boot: kernel image.")
    Path kernel;

    @Option(names = "--initrd", description = "Initial ramdisk for --kernel.")
    Path initrd;

    @Option(names = "--append", description = "Kernel command line for --kernel.")
    String append;

    @Option(names = "--cdrom", description = "ISO image attached as a CD-ROM.")
    Path cdrom;

    @Option(names = "--cloud-init", paramLabel = "KEYS", arity = "0..1", fallbackValue = "", description = {
        "Cloud-init NoCloud seed (virt-install keys), written at launch into the runtime directory and attached "
            + "read-only as a CD-ROM labelled cidata: [root-password-generate=on] [,root-password-file=FILE] "
            + "[,disable=on] [,ssh-key=FILE|root-ssh-key=FILE] [,clouduser-ssh-key=FILE] [,user-data=FILE] "
            + "[,meta-data=FILE] [,network-config=FILE] [,hostname=NAME] [,instance-id=ID], written without spaces. "
            + "Bare --cloud-init = "
            + "root-password-generate=on,disable=on; a generated password is printed once on stderr."})
    String cloudInit;

    @Option(names = "--boot", paramLabel = "ORDER", description = "Boot order, e.g. hd,cdrom,network.")
    String boot;

    @Option(names = "--hugepages", description = "Back guest memory with 2 MiB hugepages (memfd, hugetlb).")
    boolean hugepages;

    @Option(names = "--numa", paramLabel = "NODES", description = "Split vCPUs and memory evenly over NODES guest NUMA nodes.")
    Integer numa;

    @Option(names = "--hostdev", paramLabel = "DEV", description = "Pass a host device through: usb:VID:PID or "
            + "pci:[DDDD:]BB:DD.F. Repeatable.")
    List<String> hostdevs = new ArrayList<>();

    @Option(names = "--accel", defaultValue = "auto", description = "kvm, tcg or auto (default: auto = KVM only when "
            + "the host probe finds it really usable, else TCG).")
    String accel;

    @Option(names = "--paused", description = "Start with vCPUs stopped (QEMU -S); resume with 'kvmj qmp NAME cont'.")
    boolean paused;

    @Option(names = "--console", description = "Attach this terminal to the serial console, as 'kvmj console': "
            + "stdin goes to the guest, raw on a terminal (Ctrl-C, Tab, arrows reach the guest); Ctrl-] leaves the "
            + "console (the guest keeps running in the foreground; Ctrl-C then shuts it down).")
    boolean console;

    @Option(names = "--detach", description = "Start the guest in the background and return; it keeps running "
            + "after this command exits (control it with list, console, qmp, stop).")
    boolean detach;

    @Option(names = "--dry-run", description = "Print the exact QEMU command line (shell-quoted) and exit.")
    boolean dryRun;

    @Option(names = "--json", description = "Print machine-readable JSON (launch info, or the plan with --dry-run).")
    boolean json;

    @Option(names = "--incoming", paramLabel = "URI",
            description = "Wait for a migration on URI (tcp:ADDR:PORT, unix:PATH) instead of booting: "
                    + "QEMU starts with -incoming defer; send with kvmj migrate NAME --to URI.")
    String incoming;

    @Option(names = "--qemu", defaultValue = LaunchOptions.DEFAULT_QEMU, description = "QEMU binary (default ${DEFAULT-VALUE}).")
    String qemu;

    @Option(names = "--qemu-arg", paramLabel = "ARG", description = "Extra raw QEMU argument appended as is. Repeatable.")
    List<String> qemuArgs = new ArrayList<>();

    @Option(names = "--ready-timeout", defaultValue = "30", paramLabel = "SECONDS", converter = Counts.Positive.class, description = "Bound on start-up "
            + "until QMP is ready (default ${DEFAULT-VALUE}).")
    long readyTimeout;

    @Option(names = "--shutdown-timeout", defaultValue = "30", paramLabel = "SECONDS",
            converter = Counts.NonNegative.class, description = "ACPI power-down "
            + "bound on Ctrl-C (default ${DEFAULT-VALUE}); quit, SIGTERM and SIGKILL follow, 5 s each.")
    long shutdownTimeout;

    @Override
    public Integer call() {
        String connect = ConnectOption.uri(spec);
        if (connect != null) {
            return LibvirtCli.run(this, connect);
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (detach && console) {
            err.println("kvmj run: --detach and --console exclude each other (use 'kvmj console NAME' later)");
            return ExitCodes.USAGE;
        }
        GuestSpec guest;
        try {
            guest = specFile != null ? fromSpecFile() : toSpec();
            GuestOptionParsers.requirePasswordOffLoopback(guest.vnc()); // a spec file too (it never holds password=)
            if (!guest.cpu().equals(CpuModel.max()) && !guest.cpu().equals(CpuModel.host())) {
                QemuCpuModels.check(qemu, guest.cpu()); // QEMU's own list (-cpu help, cached per binary)
            }
        } catch (InvalidSpecException e) {
            err.println("kvmj run: " + SpecFlags.describe(e));
            return ExitCodes.USAGE;
        } catch (IllegalArgumentException e) {
            err.println("kvmj run: " + e.getMessage());
            return ExitCodes.USAGE;
        }
        if (guest.cloudInit() != null && !guest.cloudInit().ignoredOptions().isEmpty()) {
            err.println("warning: --cloud-init: " + String.join(", ", guest.cloudInit().ignoredOptions())
                    + " ignored: user-data=/meta-data= files are used verbatim (as in virt-install)");
        }
        LaunchOptions lo = LaunchOptions.defaults().withQemuBinary(qemu).withDetached(detach)
                .withReadyTimeout(Duration.ofSeconds(readyTimeout)).withShutdownTimeout(Duration.ofSeconds(shutdownTimeout));
        Launcher launcher = Launcher.create(lo);
        LaunchPlan plan;
        try {
            plan = launcher.plan(guest, NewDisk.paths(specFile == null ? disks : List.of())).withExtraArgs(qemuArgs);
            if (incoming != null) {
                plan = plan.withLaunchArgs(io.kvmj.launcher.migrate.LiveMigration.incomingArgs());
            }
        } catch (InvalidSpecException e) {
            err.println("kvmj run: " + SpecFlags.describe(e));
            return ExitCodes.USAGE;
        } catch (LaunchException e) {
            if (e.getCause() instanceof InvalidSpecException invalid) {
                // the renderer refused the spec (a missing --kernel/--cdrom file, ...): bad input, named by its flag
                err.println("kvmj run: " + SpecFlags.describe(invalid));
                return ExitCodes.USAGE;
            }
            err.println("kvmj run: " + e.getMessage());
            return ExitCodes.FAILED;
        }
        try {
            if (dryRun) {
                if (json) {
                    ObjectNode o = Json.object().put("name", plan.name());
                    plan.argv().forEach(o.putArray("argv")::add);
                    o.put("commandLine", plan.commandLine());
                    o.put("accelerator", plan.accelerator().accelerator()).put("acceleratorReason", plan.accelerator().reason());
                    plan.warnings().forEach(o.putArray("warnings")::add);
                    o.set("spec", GuestSpecJson.toTree(guest));
                    out.println(Json.pretty(o));
                } else {
                    plan.warnings().forEach(w -> err.println("warning: " + w));
                    out.println(plan.commandLine());
                }
                out.flush();
                return ExitCodes.OK;
            }
            List<NewDisk> created = NewDisk.createAll(specFile == null ? disks : List.of(), spec, err);
            Guest g;
            try {
                g = launcher.launch(plan); // exactly the argv --dry-run prints
            } catch (RuntimeException e) {
                NewDisk.removeAll(created, err); // as virt-install: a failed start leaves no new image behind
                throw e;
            }
            if (incoming != null && !IncomingSupport.accept(g, incoming, err)) {
                return ExitCodes.USAGE;
            }
            printGeneratedPassword(guest, err);
            if (detach) {
                printLaunched(g, out);
                g.release();
                return ExitCodes.OK;
            }
            return foreground(g, out, err);
        } catch (LaunchException e) {
            if (e.getCause() instanceof InvalidSpecException ise) { // found while planning: the user's input
                err.println("kvmj run: " + SpecFlags.describe(ise));
                return ExitCodes.USAGE;
            }
            err.println("kvmj run: " + e.getMessage());
            return ExitCodes.FAILED;
        }
    }

    /** Like virt-install: a generated root password is shown once (here on stderr; never logged). */
    private static void printGeneratedPassword(GuestSpec guest, PrintWriter err) {
        var ci = guest.cloudInit();
        if (ci != null && ci.rootPasswordGenerated() && ci.userData() == null) {
            err.println("kvmj run: password for first root login is: " + ci.rootPassword()
                    + " (it must be changed at first login)");
            err.flush();
        }
    }

    private void printLaunched(Guest g, PrintWriter out) {
        if (json) {
            ObjectNode o = Json.object().put("name", g.name()).put("pid", g.pid())
                    .put("accelerator", g.accelerator().accelerator()).put("acceleratorReason", g.accelerator().reason())
                    .put("runtimeDir", g.runtimeDir().path().toString())
                    .put("qmpSocket", g.runtimeDir().qmpSocket().toString())
                    .put("eventsSocket", g.runtimeDir().eventsSocket().toString())
                    .put("consoleSocket", g.runtimeDir().consoleSocket().toString())
                    .put("consoleLog", g.runtimeDir().consoleLog().toString())
                    .put("detached", detach);
            o.put("vnc", GuestInfo.vncOf(g.commandLine()).orElse(null));
            out.println(Json.pretty(o));
        } else {
            out.printf("guest %s started: pid %d, accelerator %s (%s)%n", g.name(), g.pid(),
                    g.accelerator().accelerator(), g.accelerator().reason());
            out.printf("runtime directory %s%n", g.runtimeDir().path());
            GuestInfo.vncOf(g.commandLine()).ifPresent(v -> out.printf("VNC on %s%n", v));
        }
        out.flush();
    }

    private int foreground(Guest g, PrintWriter out, PrintWriter err) {
        AtomicBoolean stopping = new AtomicBoolean();
        Duration powerdown = Duration.ofSeconds(shutdownTimeout);
        Runnable requestStop = () -> {
            if (stopping.compareAndSet(false, true)) {
                err.println("\nkvmj: shutting down guest " + g.name() + " (ACPI power-down, up to "
                        + powerdown.toSeconds() + " s; Ctrl-C again to force)");
                err.flush();
                Thread t = new Thread(() -> g.shutdown(powerdown), "kvmj-shutdown");
                t.setDaemon(true);
                t.start();
            } else {
                err.println("kvmj: forcing guest " + g.name() + " off");
                err.flush();
                Thread t = new Thread(g::quit, "kvmj-quit");
                t.setDaemon(true);
                t.start();
            }
        };
        Signals.onInterrupt(requestStop);
        if (!json) {
            printLaunched(g, out);
            err.println(console ? "kvmj: guest running in the foreground; Ctrl-] leaves its console, Ctrl-C then "
                    + "shuts it down" : "kvmj: guest running in the foreground; Ctrl-C shuts it down");
            err.flush();
        }
        Thread pump = console ? RunConsole.output(g) : null;
        ConsoleInput input = console ? RunConsole.input(g, err) : null;
        try {
            ShutdownResult r;
            while (true) {
                var done = g.awaitExit(Duration.ofMillis(500));
                if (done.isPresent()) {
                    r = done.get();
                    break;
                }
            }
            // a shutdown in progress records its own result; wait for it (bounded by the ladder itself)
            r = g.shutdown(Duration.ZERO);
            if (input != null) {
                input.close(); // the terminal is the user's again before the last lines
            }
            if (pump != null) {
                try {
                    pump.join(2000); // let the last console output reach the terminal
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            if (json) {
                out.println(Json.pretty(Json.object().put("name", g.name()).put("how", r.how().name())
                        .put("exitCode", r.exitCode()).put("shutdownReason", r.shutdownReason())));
            } else {
                err.printf("kvmj: guest %s ended: %s%s%s%n", g.name(), r.how().name().toLowerCase(Locale.ROOT),
                        r.exitCode() == null ? "" : " (exit " + r.exitCode() + ")",
                        r.shutdownReason() == null ? "" : ", reason " + r.shutdownReason());
            }
            out.flush();
            err.flush();
            return r.graceful() || r.how() == io.kvmj.launcher.HowEnded.QUIT || r.how() == io.kvmj.launcher.HowEnded.EXITED
                    ? ExitCodes.OK : ExitCodes.FAILED;
        } finally {
            if (input != null) {
                input.close();
            }
            g.close();
        }
    }

    /** Options that describe the guest, refused beside --spec (the spec file describes it whole). */
    private static final List<String> GUEST_OPTIONS = List.of("--name", "--memory", "--vcpus", "--cpu", "--machine", "--disk",
            "--share", "--network", "--graphics", "--kernel", "--initrd", "--append", "--cdrom", "--cloud-init", "--boot",
            "--hugepages", "--numa", "--hostdev", "--accel", "--paused", "--hotplug-slots");

    GuestSpec fromSpecFile() {
        var parsed = spec.commandLine().getParseResult();
        for (String o : GUEST_OPTIONS) {
            if (parsed.hasMatchedOption(o)) {
                throw new IllegalArgumentException(o + " cannot be combined with --spec (the spec file describes the guest)");
            }
        }
        try {
            GuestSpec read = SpecFiles.read(specFile);
            io.kvmj.launcher.storage.HostDiskClaims.requireFree(read);
            return read;
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("--spec: cannot read " + specFile + ": " + e.getMessage(), e);
        } catch (InvalidSpecException e) {
            throw new IllegalArgumentException("--spec " + specFile + ": " + e.getMessage(), e);
        }
    }

    GuestSpec toSpec() {
        if (name == null) {
            throw new IllegalArgumentException("--name is required (or give --spec FILE)");
        }
        GuestSpec.Builder b = GuestSpec.builder(name).cpus(vcpus).startPaused(paused);
        if (cpu != null) {
            b.cpu(GuestOptionParsers.cpu(cpu));
        }
        b.machine(switch (machine.toLowerCase(Locale.ROOT)) {
            case "q35" -> MachineType.Q35;
            case "pc" -> MachineType.PC;
            case "microvm" -> MachineType.MICROVM;
            default -> throw new IllegalArgumentException("--machine: unknown board '" + machine + "' (q35, pc, microvm)");
        });
        b.accelerator(switch (accel.toLowerCase(Locale.ROOT)) {
            case "kvm" -> Accelerator.KVM;
            case "tcg" -> Accelerator.TCG;
            case "auto" -> Accelerator.AUTO;
            default -> throw new IllegalArgumentException("--accel: '" + accel + "' is not kvm, tcg or auto");
        });
        b.memory(memory());
        List<io.kvmj.core.model.DiskSpec> parsed = new java.util.ArrayList<>();
        for (int i = 0; i < disks.size(); i++) {
            parsed.add(GuestOptionParsers.disk(disks.get(i), i, name));
        }
        if (boot == null && parsed.size() > 1 && parsed.get(0).bootIndex() == null
                && parsed.stream().skip(1).anyMatch(d -> d.source() instanceof io.kvmj.core.model.DiskSource.HostDevice)) {
            // whole host disks on virtio-scsi may be found by SeaBIOS before the system disk: the first --disk boots
            // (as virt-install's first disk does)
            parsed.set(0, parsed.get(0).toBuilder().bootIndex(1).build());
        }
        parsed.forEach(b::disk);
        if (hotplugSlots < 0 || hotplugSlots > GuestSpec.MAX_HOTPLUG_SLOTS) {
            throw new IllegalArgumentException("--hotplug-slots: " + hotplugSlots + " is not 0.." + GuestSpec.MAX_HOTPLUG_SLOTS);
        }
        b.hotplugSlots(hotplugSlots);
        shares.forEach(s -> b.share(GuestOptionParsers.share(s)));
        for (int i = 0; i < networks.size(); i++) {
            NicSpec nic = GuestOptionParsers.network(networks.get(i), i);
            if (nic != null) {
                b.nic(nic);
            }
        }
        if (graphics != null) {
            b.vnc(GuestOptionParsers.graphics(graphics));
        }
        if (kernel != null) {
            b.kernel(kernel, initrd, append);
        } else if (initrd != null || append != null) {
            throw new IllegalArgumentException("--initrd and --append need --kernel");
        }
        if (cdrom != null) {
            b.cdrom(CdRom.of("cd0", cdrom));
        }
        if (cloudInit != null) {
            b.cloudInit(CloudInitOption.parse(cloudInit));
        }
        if (boot != null) {
            b.bootOrder(GuestOptionParsers.boot(boot));
        }
        for (String h : hostdevs) {
            Object dev = GuestOptionParsers.hostdev(h);
            if (dev instanceof UsbHostDevice u) {
                b.usb(u);
            } else {
                b.pci((PciHostDevice) dev);
            }
        }
        try {
            return b.build();
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    private MemorySpec memory() {
        if (memory < 16) {
            throw new IllegalArgumentException("--memory: at least 16 MiB");
        }
        if (numa == null) {
            return hugepages ? new MemorySpec(memory, MemoryBackend.memfd("mem", memory).hugetlb(2048).build(),
                    List.of(), false, false) : MemorySpec.ofMiB(memory);
        }
        if (numa < 1 || numa > vcpus) {
            throw new IllegalArgumentException("--numa: need 1.." + vcpus + " nodes (one vCPU per node at least)");
        }
        if (memory % numa != 0) {
            throw new IllegalArgumentException("--numa: memory " + memory + " MiB does not split evenly over " + numa + " nodes");
        }
        List<NumaNode> nodes = new ArrayList<>();
        int cpu = 0;
        for (int i = 0; i < numa; i++) {
            int count = vcpus / numa + (i < vcpus % numa ? 1 : 0);
            MemoryBackend.Builder mb = hugepages ? MemoryBackend.memfd("numa" + i, memory / numa).hugetlb(2048)
                    : MemoryBackend.ram("numa" + i, memory / numa);
            nodes.add(new NumaNode(i, cpu, cpu + count - 1, mb.build()));
            cpu += count;
        }
        return new MemorySpec(memory, null, nodes, false, false);
    }
}
