package io.kvmj.core.model;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A named virtio-serial port ({@code virtserialport}) backed by a unix socket QEMU listens on (no wait), like
 * libvirt's {@code <channel type='unix'>}. The guest sees {@code /dev/virtio-ports/NAME}; the host connects to
 * {@code socket}. The QEMU guest agent's channel:
 *
 * <pre>{@code
 * GuestSpec.builder("vm1").channel(VirtioSerialChannel.guestAgent(dir.resolve("qga.sock"))).build();
 * }</pre>
 *
 * @param name   port name the guest sees, e.g. {@value #GUEST_AGENT}
 * @param socket unix socket path on the host
 */
public record VirtioSerialChannel(String name, Path socket) {
    /** The port name qemu-ga looks for. */
    public static final String GUEST_AGENT = "org.qemu.guest_agent.0";

    public VirtioSerialChannel {
        Objects.requireNonNull(name, "name");
        if (!name.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
            throw new InvalidSpecException("channel.name", name, "port names are letters, digits, '.', '_', '-'");
        }
        if (socket == null) {
            throw new InvalidSpecException("channel.socket", null, "a channel needs a socket path");
        }
    }

    /** The guest-agent channel ({@value #GUEST_AGENT}) on {@code socket}. */
    public static VirtioSerialChannel guestAgent(Path socket) { return new VirtioSerialChannel(GUEST_AGENT, socket); }
}
