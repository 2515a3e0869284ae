package io.kvmj.core.qemu;

import io.kvmj.core.host.HostEnvironment;
import io.kvmj.core.model.GuestSpec;
import io.kvmj.core.model.InvalidSpecException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Objects;

/**
 * Renders a {@link GuestSpec} into a {@link QemuCommand}: validates against the host, escapes every option value
 * through {@link QemuOpts}, and emits arguments in a stable order (machine, memory, display, monitors/serials,
 * boot, disks, 9p, network, misc devices, passthrough). Throws {@link InvalidSpecException} for specs QEMU would
 * refuse or that would lose data; softer concerns become {@link Warning}s.
 */
public final class QemuCommandLine {
    /** Default binary, looked up on PATH. */
    public static final String DEFAULT_BINARY = "qemu-system-x86_64";

    private static final List<ArgRenderer> RENDERERS = List.of(
            new MachineRenderer(), new MemoryRenderer(), new DisplayRenderer(), new CharRenderer(), new BootRenderer(),
            new DiskRenderer(), new NinePRenderer(), new NetRenderer(), new MiscDeviceRenderer(), new PassthroughRenderer());

    private static final List<ArgRenderer> RUNTIME_RENDERERS = List.of(MachineRenderer::name, MachineRenderer::pidfile,
            new CharRenderer());

    private static final Logger LOG = LoggerFactory.getLogger(QemuCommandLine.class);

    private final String binary;
    private final HostEnvironment host;

    public QemuCommandLine(String binary, HostEnvironment host) {
        this.binary = Objects.requireNonNull(binary, "binary");
        this.host = Objects.requireNonNull(host, "host");
        QemuOpts.checkCarriable("binary", binary);
    }

    /** {@code qemu-system-x86_64} on the real host. */
    public static QemuCommandLine defaults() { return new QemuCommandLine(DEFAULT_BINARY, HostEnvironment.system()); }

    public QemuCommandLine withBinary(String qemuBinary) { return new QemuCommandLine(qemuBinary, host); }

    public QemuCommandLine withHost(HostEnvironment env) { return new QemuCommandLine(binary, env); }

    public String binary() { return binary; }

    /** Renders with the default binary on the real host. */
    public static QemuCommand renderDefault(GuestSpec spec) { return defaults().render(spec); }

    public QemuCommand render(GuestSpec spec) {
        return render(spec, RENDERERS);
    }

    /**
     * Renders only the runtime part of {@code spec}: {@code -name}, {@code -pidfile}, QMP monitors, serial ports and
     * virtio-serial channels, exactly as {@link #render(GuestSpec)} renders them. For launching QEMU from raw
     * arguments with kvmj's sockets, e.g.
     * <pre>{@code
     * List<String> argv = new ArrayList<>(cmd.renderRuntimePart(GuestSpec.builder("vm1").pidfile(pid)
     *         .qmp(QmpEndpoint.unixServer(sock)).build()).argv());
     * argv.addAll(List.of("-machine", "none"));
     * }</pre>
     */
    public QemuCommand renderRuntimePart(GuestSpec spec) {
        return render(spec, RUNTIME_RENDERERS);
    }

    private QemuCommand render(GuestSpec spec, List<ArgRenderer> renderers) {
        Objects.requireNonNull(spec, "spec");
        RenderContext ctx = new RenderContext(spec, host);
        ctx.argv.add(binary);
        for (ArgRenderer r : renderers) r.render(ctx);
        QemuCommand cmd = new QemuCommand(ctx.argv, ctx.warnings);
        LOG.debug("guest {}: {}", spec.name(), cmd.shellQuoted());
        for (Warning w : cmd.warnings()) LOG.debug("guest {}: warning {}", spec.name(), w);
        return cmd;
    }
}
