package io.kvmj.launcher.backend;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kvmj.core.libvirt.DomainExport;
import io.kvmj.core.libvirt.DomainXml;
import io.kvmj.core.model.Accelerator;
import io.kvmj.core.model.DiskSpec;
import io.kvmj.core.model.GuestSpec;
import io.kvmj.core.model.VirtioSerialChannel;
import io.kvmj.launcher.GuestException;
import io.kvmj.launcher.ShutdownResult;
import io.kvmj.qmp.QmpErrorException;
import io.kvmj.qmp.QmpEventListener;
import io.kvmj.qmp.QmpSubscription;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.libvirt.Connect;
import org.libvirt.Domain;
import org.libvirt.DomainInfo;
import org.libvirt.Error;
import org.libvirt.LibvirtException;

/**
 * {@link GuestBackend} on a libvirt daemon through libvirt-java (JNA, {@code libvirt.so.0}). A started guest is a
 * persistent domain defined from {@link DomainXml#export} of its spec (plus a pty console and the agent channel, see
 * {@link DaemonDomainXml}); QMP goes through {@code virDomainQemuMonitorCommand}, agent commands through
 * {@code virDomainQemuAgentCommand}; the shutdown ladder is libvirt's ACPI shutdown, its guest-agent shutdown, then
 * {@code virDomainDestroy} (SIGTERM, SIGKILL). Paths in the spec (disks, shares, kernel) are paths on the daemon's host.
 *
 * <pre>{@code
 * try (LibvirtBackend lv = LibvirtBackend.connect("qemu+ssh://root@host2/system")) {
 *     lv.start(spec, System.err::println);
 *     lv.qmp(spec.name(), "query-status", null, Duration.ofSeconds(5));
 * }
 * }</pre>
 */
public final class LibvirtBackend implements GuestBackend {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** libvirt's default error function prints every error on stderr; kvmj reports them itself (held: JNA callback). */
    private static final org.libvirt.ErrorCallback QUIET = new org.libvirt.ErrorCallback();

    private final String uri;
    private final Connect conn;
    private final boolean eventLoop;

    private LibvirtBackend(String uri, Connect conn, boolean eventLoop) {
        this.uri = uri;
        this.conn = conn;
        this.eventLoop = eventLoop;
    }

    /** Opens {@code uri} read-write (libvirt's own authentication: unix socket permissions, ssh keys). */
    public static LibvirtBackend connect(String uri) {
        return open(uri, false);
    }

    private static LibvirtBackend open(String uri, boolean eventLoop) {
        try {
            Connect.setErrorCallback(QUIET);
            return new LibvirtBackend(uri, new Connect(uri, false), eventLoop);
        } catch (LibvirtException e) {
            throw new GuestException("cannot connect to libvirt at " + uri + ": " + message(e));
        } catch (LinkageError e) {
            throw new GuestException("the libvirt client library (libvirt.so.0, Debian package libvirt0) cannot be "
                    + "loaded: " + e.getMessage());
        }
    }

    /** As {@link #connect(String)}, with libvirt's event loop running, for {@link LibvirtEvents}. */
    public static LibvirtBackend connectWithEvents(String uri) {
        LibvirtEvents.startEventLoop();
        return open(uri, true);
    }

    /** A daemon on this host ({@code qemu:///system}, no host in the URI): its files are this host's files. */
    public boolean onThisHost() {
        return onThisHost(uri);
    }

    /** Whether libvirt URI {@code uri} names a daemon on this host (no host part). */
    public static boolean onThisHost(String uri) {
        try {
            String host = new java.net.URI(uri).getHost();
            return host == null || host.isEmpty();
        } catch (java.net.URISyntaxException e) {
            return false;
        }
    }

    Connect connection() {
        return conn;
    }

    @Override
    public String uri() {
        return uri;
    }

    /** The domain type libvirt offers on its host for x86_64: kvm when the host has it, else qemu (TCG). */
    Accelerator hostAccelerator() {
        try {
            return conn.getCapabilities().contains("<domain type='kvm'") ? Accelerator.KVM : Accelerator.TCG;
        } catch (LibvirtException e) {
            throw failed("capabilities", e);
        }
    }

    /** The domain XML {@link #start} defines for {@code spec}, with its notes. */
    public DomainExport domainFor(GuestSpec spec) {
        Accelerator auto = spec.accelerator() == Accelerator.AUTO ? hostAccelerator() : Accelerator.TCG;
        DomainExport x = DomainXml.export(spec, auto);
        boolean agent = spec.channels().stream().anyMatch(c -> c.name().equals(VirtioSerialChannel.GUEST_AGENT));
        String uuid = null;
        Optional<Domain> old = find(spec.name());
        if (old.isPresent()) {
            try {
                if (old.get().isActive() == 1) {
                    throw new GuestException("guest '" + spec.name() + "' is already running under " + uri);
                }
                uuid = old.get().getUUIDString();
            } catch (LibvirtException e) {
                throw failed(spec.name(), e);
            }
        }
        return new DomainExport(DaemonDomainXml.withRuntimeParts(x.xml(), !spec.serials().isEmpty(), agent, uuid),
                x.notes());
    }

    @Override
    public BackendGuest start(GuestSpec spec, Consumer<String> notes) {
        return start(spec, notes, false);
    }

    /**
     * As {@link #start(GuestSpec, Consumer)}; with {@code autodestroy} libvirt destroys the domain when this
     * connection closes (the JVM ends, even killed), as a foreground {@code kvmj run} never leaves QEMU behind.
     */
    public BackendGuest start(GuestSpec spec, Consumer<String> notes, boolean autodestroy) {
        DomainExport x = domainFor(spec);
        // startPaused is carried out here (VIR_DOMAIN_START_PAUSED), not by the XML: its export note does not apply
        x.notes().stream().filter(n -> !n.where().equals("startPaused")).forEach(n -> notes.accept(n.toString()));
        try {
            Domain d = conn.domainDefineXML(x.xml());
            d.create((spec.startPaused() ? Domain.CreateFlags.PAUSED : 0) | (autodestroy ? Domain.CreateFlags.AUTODESTROY : 0));
            return describe(d);
        } catch (LibvirtException e) {
            throw failed(spec.name(), e);
        }
    }

    @Override
    public List<BackendGuest> list() {
        try {
            List<BackendGuest> out = new ArrayList<>();
            for (Domain d : conn.listAllDomains(0)) {
                out.add(describe(d));
            }
            out.sort(java.util.Comparator.comparing(BackendGuest::name));
            return out;
        } catch (LibvirtException e) {
            throw failed("list", e);
        }
    }

    @Override
    public BackendGuest require(String name) {
        try {
            return describe(domain(name));
        } catch (LibvirtException e) {
            throw failed(name, e);
        }
    }

    private static BackendGuest describe(Domain d) throws LibvirtException {
        DomainInfo i = d.getInfo();
        int id = d.isActive() == 1 ? d.getID() : -1;
        return new BackendGuest(d.getName(), state(i.state), i.nrVirtCpu, i.memory / 1024, null, id,
                d.getUUIDString(), d.isPersistent() == 1);
    }

    /** libvirt's state in the words of {@code virsh list}, QEMU's where they are the same. */
    static String state(DomainInfo.DomainState s) {
        return switch (s) {
            case VIR_DOMAIN_RUNNING -> "running";
            case VIR_DOMAIN_PAUSED -> "paused";
            case VIR_DOMAIN_SHUTOFF -> "shutoff";
            case VIR_DOMAIN_SHUTDOWN -> "shutdown";
            case VIR_DOMAIN_CRASHED -> "crashed";
            case VIR_DOMAIN_BLOCKED -> "blocked";
            case VIR_DOMAIN_PMSUSPENDED -> "pmsuspended";
            default -> "unknown";
        };
    }

    @Override
    public JsonNode qmp(String name, String command, JsonNode arguments, Duration timeout) {
        Domain d = running(name);
        try {
            return reply(d.qemuMonitorCommand(request(command, arguments), 0), command, arguments);
        } catch (LibvirtException e) {
            throw failed(name, e);
        }
    }

    @Override
    public JsonNode agent(String name, String command, JsonNode arguments, Duration timeout) {
        Domain d = running(name);
        try {
            int seconds = (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toSeconds()));
            return reply(d.qemuAgentCommand(request(command, arguments), seconds, 0), command, arguments);
        } catch (LibvirtException e) {
            throw failed(name, e);
        }
    }

    private static String request(String command, JsonNode arguments) {
        ObjectNode o = JSON.createObjectNode().put("execute", command);
        if (arguments != null) {
            o.set("arguments", arguments);
        }
        return o.toString();
    }

    private static JsonNode reply(String text, String command, JsonNode arguments) {
        JsonNode r;
        try {
            r = JSON.readTree(text);
        } catch (IOException e) {
            throw new GuestException("libvirt returned a reply that is not JSON for " + command + ": " + text);
        }
        JsonNode err = r.get("error");
        if (err != null) {
            throw new QmpErrorException(err.path("class").asText(), err.path("desc").asText(), command, arguments);
        }
        return r.get("return");
    }

    @Override
    public ShutdownResult stop(String name, Duration timeout, boolean force) {
        return LibvirtShutdownLadder.stop(running(name), timeout, force, e -> failed(name, e));
    }

    @Override
    public Optional<GuestSpec> spec(String name) {
        try {
            return Optional.of(DomainXml.importXml(domain(name).getXMLDesc(0)).spec());
        } catch (LibvirtException e) {
            throw failed(name, e);
        }
    }

    /**
     * {@code virsh save}: the running domain's state into {@code file} on the daemon's host (libvirt writes it, as
     * its own user), then the domain stops; it stays defined. Blocks until done; {@link #abortSave} from another
     * thread cancels it and the domain keeps running.
     */
    @Override
    public void save(String name, Path file) {
        Domain d = running(name);
        if (onThisHost() && Files.exists(file)) {
            throw new GuestException(file + " exists; kvmj save does not overwrite");
        }
        try {
            d.save(file.toString());
        } catch (LibvirtException e) {
            throw failed(name, e);
        }
    }

    /** Cancels a {@link #save} in progress ({@code virDomainAbortJob}); nothing when there is none. */
    public void abortSave(String name) {
        try {
            domain(name).abortJob();
        } catch (LibvirtException | GuestException e) {
            // no job (done already) or no domain: nothing to cancel
        }
    }

    /**
     * The name of the domain saved in {@code file} (a {@link #save} image on the daemon's host), from the domain XML
     * libvirt keeps in it; a {@link GuestException} when libvirt cannot read it as a save image.
     */
    public String savedDomain(String file) {
        String xml;
        try {
            xml = LibvirtNative.saveImageXml(conn, file);
        } catch (GuestException e) {
            throw new GuestException(file + " is not a libvirt save image under " + uri + " ("
                    + e.getMessage().replaceFirst("^libvirt: ", "") + ")");
        }
        return DaemonDomainXml.name(xml);
    }

    /** {@code virsh restore}: starts the domain saved in {@code file} where it left off; it is running after this. */
    @Override
    public BackendGuest restore(Path file) {
        String name = savedDomain(file.toString());
        BackendGuest now = require(name);
        if (now.active()) {
            throw new GuestException("guest '" + name + "' is already running under " + uri);
        }
        try {
            conn.restore(file.toString());
        } catch (LibvirtException e) {
            throw failed(name, e);
        }
        return require(name);
    }

    /** The disks of the domain's live XML ({@code virDomainGetXMLDesc}), with libvirt's details (bus, alias). */
    public List<LibvirtDisk> libvirtDisks(String name) {
        try {
            return LibvirtDiskXml.disks(domain(name).getXMLDesc(0));
        } catch (LibvirtException e) {
            throw failed(name, e);
        }
    }

    /** Disk {@code target} of the domain; a {@link GuestException} naming its disks when it has none such. */
    public LibvirtDisk libvirtDisk(String name, String target) {
        List<LibvirtDisk> disks = libvirtDisks(name);
        return disks.stream().filter(d -> target.equals(d.target())).findFirst()
                .orElseThrow(() -> new GuestException("guest '" + name + "' has no disk '" + target + "' (its disks: "
                        + String.join(", ", disks.stream().map(LibvirtDisk::target).toList()) + ")"));
    }

    @Override
    public List<BackendDisk> disks(String name) {
        return libvirtDisks(name).stream().map(LibvirtDisk::toBackendDisk).toList();
    }

    /** The virtual size in bytes of the running domain's disk {@code target} ({@code virDomainGetBlockInfo}). */
    public long diskCapacity(String name, String target) {
        try {
            return running(name).blockInfo(target).getCapacity();
        } catch (LibvirtException e) {
            throw failed(name, e);
        }
    }

    /**
     * {@inheritDoc} Here: {@code virsh snapshot-create --disk-only --no-metadata --atomic}; libvirt creates the
     * overlay (a path on the daemon's host) and its domain XML names it; no snapshot metadata is kept.
     */
    @Override
    public BackendDisk diskSnapshot(String name, String drive, Path overlay, boolean quiesce) {
        Domain d = running(name);
        if (!libvirtDisk(name, drive).inserted()) {
            throw new GuestException(name + ": " + drive + " has no medium");
        }
        if (onThisHost() && Files.exists(overlay)) {
            throw new GuestException(overlay + " already exists; refusing to overwrite it");
        }
        try {
            LibvirtBlockJobs.snapshot(d, drive, overlay.toString(), quiesce);
        } catch (LibvirtException e) {
            throw failed(name, e);
        }
        return libvirtDisk(name, drive).toBackendDisk();
    }

    /** {@inheritDoc} Here: {@code virsh blockcommit --active --pivot}. */
    @Override
    public BackendDisk diskCommit(String name, String drive, String base) throws InterruptedException {
        diskCommit(name, drive, LibvirtBlockJobs.commitBase(libvirtDisk(name, drive), base), (done, total) -> { });
        return libvirtDisk(name, drive).toBackendDisk();
    }

    /**
     * An active block commit of the running domain's disk {@code target} into {@code base} (a file of its backing
     * chain; libvirt drops the layers above it) as {@code virsh blockcommit --active --pivot}: {@code
     * virDomainBlockCommit}, then once the job is ready (everything copied) {@code virDomainBlockJobAbort} with
     * PIVOT, after which the disk runs on {@code base} and libvirt's XML says so. {@code progress} gets (done, total)
     * bytes while it copies. An interrupt of this thread cancels the job (the disk stays on its active layer).
     */
    public void diskCommit(String name, String target, String base, java.util.function.BiConsumer<Long, Long> progress)
            throws InterruptedException {
        try {
            LibvirtBlockJobs.commit(running(name), name, target, base, progress);
        } catch (LibvirtException e) {
            throw failed(name, e);
        }
    }

    /** {@inheritDoc} Here: {@code virsh blockresize --bytes} ({@link LibvirtHotplug#resize}). */
    @Override
    public BackendResize diskResize(String name, String drive, long size, boolean shrink) {
        Domain d = running(name);
        if (!libvirtDisk(name, drive).inserted()) {
            throw new GuestException(name + ": " + drive + " has no medium");
        }
        long before = diskCapacity(name, drive);
        BackendResize.refuseShrink(drive, before, size, shrink);
        try {
            if (size != before) {
                LibvirtHotplug.resize(d, drive, size);
            }
        } catch (LibvirtException e) {
            throw failed(name, e);
        }
        return new BackendResize(drive, before, diskCapacity(name, drive));
    }

    /** {@inheritDoc} Here: {@code virsh backup-begin} of that disk alone, its job polled ({@link LibvirtBackup}). */
    @Override
    public BackendDisk diskBackup(String name, String drive, Path target, io.kvmj.core.image.ImageFormat format,
                                  Duration timeout) throws InterruptedException {
        return LibvirtBackup.disk(this, name, drive, target, format, timeout, (done, total) -> { });
    }

    /** {@inheritDoc} Here: {@code virsh attach-device --live} of {@link DomainXml#hotplugDisk} at the first free vdX. */
    @Override
    public BackendDisk diskAttach(String name, DiskSpec disk) {
        try {
            return libvirtDisk(name, LibvirtHotplug.attach(running(name), disk)).toBackendDisk();
        } catch (io.kvmj.core.libvirt.LibvirtRefusedException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        } catch (LibvirtException e) {
            throw failed(name, e);
        }
    }

    /** {@inheritDoc} Here: {@code virsh detach-disk --live}, then the live XML polled until the disk is gone. */
    @Override
    public void diskDetach(String name, String drive, Duration timeout) {
        try {
            LibvirtHotplug.detach(running(name), name, drive, timeout);
        } catch (LibvirtException e) {
            throw failed(name, e);
        }
    }

    /** {@inheritDoc} Here: {@code virConnectDomainQemuMonitorEventRegister}; needs {@link #connectWithEvents}. */
    @Override
    public QmpSubscription events(String name, QmpEventListener listener) {
        if (!eventLoop) {
            throw new GuestException("events need libvirt's event loop: open the connection with "
                    + "GuestBackend.connect or LibvirtBackend.connectWithEvents");
        }
        LibvirtEvents ev = LibvirtEvents.subscribe(this, name, e -> listener.onEvent(e.toQmp()));
        return ev::close;
    }

    /** {@inheritDoc} Here: {@link LibvirtConsole} (libvirt's console stream, safe mode). */
    @Override
    public BackendConsole console(String name, Consumer<byte[]> output) {
        return LibvirtConsole.open(this, name, output);
    }

    /** The domain's libvirt handle, for what the interface does not cover (console stream, events). */
    public Domain domain(String name) {
        return find(name).orElseThrow(() -> new GuestException("no guest named '" + name + "' under " + uri));
    }

    private Domain running(String name) {
        Domain d = domain(name);
        try {
            if (d.isActive() != 1) {
                throw new GuestException("guest '" + name + "' is not running under " + uri + " (state shutoff)");
            }
        } catch (LibvirtException e) {
            throw failed(name, e);
        }
        return d;
    }

    private Optional<Domain> find(String name) {
        try {
            return Optional.of(conn.domainLookupByName(name));
        } catch (LibvirtException e) {
            if (e.getError() != null && e.getError().getCode() == Error.ErrorNumber.VIR_ERR_NO_DOMAIN) {
                return Optional.empty();
            }
            throw failed(name, e);
        }
    }

    private GuestException failed(String what, LibvirtException e) {
        return new GuestException(what + ": libvirt (" + uri + "): " + message(e));
    }

    private static String message(LibvirtException e) {
        return e.getError() != null && e.getError().getMessage() != null ? e.getError().getMessage() : String.valueOf(e.getMessage());
    }

    @Override
    public void close() {
        try {
            conn.close();
        } catch (LibvirtException e) {
            // closing: nothing to tell
        }
    }

    @Override
    public String toString() {
        return "libvirt " + uri;
    }
}
