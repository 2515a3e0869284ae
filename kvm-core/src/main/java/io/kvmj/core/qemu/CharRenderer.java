package io.kvmj.core.qemu;

import io.kvmj.core.model.InvalidSpecException;
import io.kvmj.core.model.QmpEndpoint;
import io.kvmj.core.model.SerialSpec;
import io.kvmj.core.model.VirtioSerialChannel;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * Character devices: QMP monitors ({@code -chardev socket,id=qmpN,...} + {@code -mon chardev=qmpN,mode=control}),
 * serial ports ({@code -chardev file|socket|stdio,id=serialN[,logfile=F,logappend=on]} + {@code -serial
 * chardev:serialN}) and virtio-serial channels ({@code -chardev socket,id=channelN,path=S,server=on,wait=off},
 * one {@code -device virtio-serial-pci,id=vser0}, {@code -device virtserialport,bus=vser0.0,chardev=channelN,
 * name=NAME,id=channelN-port}).
 */
final class CharRenderer implements ArgRenderer {
    /** sun_path is 108 bytes including the terminating NUL. */
    static final int MAX_UNIX_PATH = 107;

    @Override
    public void render(RenderContext ctx) {
        List<QmpEndpoint> qmp = ctx.spec.qmp();
        for (int i = 0; i < qmp.size(); i++) {
            QmpEndpoint q = qmp.get(i);
            String id = "qmp" + i;
            String f = "qmp[" + i + "]";
            QemuOpts c = QemuOpts.of("chardev", "socket").add("id", id);
            switch (q.mode()) {
                case UNIX_SERVER -> c.add("path", unixPath(ctx, f + ".path", q.path())).onOff("server", true).onOff("wait", false);
                case UNIX_CLIENT -> c.add("path", unixPath(ctx, f + ".path", q.path()));
                case TCP_SERVER -> {
                    c.add("host", q.host()).add("port", q.port()).onOff("server", true).onOff("wait", false);
                    if (!q.host().startsWith("127.") && !q.host().equals("localhost")) {
                        ctx.warn(f + ".host", "QMP has no authentication; listening on " + q.host() + " gives anyone there full control");
                    }
                }
                default -> throw new IllegalStateException(q.mode().toString());
            }
            ctx.arg("-chardev", c);
            ctx.arg("-mon", QemuOpts.keys("mon").add("chardev", id).add("mode", "control"));
        }
        List<SerialSpec> serials = ctx.spec.serials();
        boolean stdio = false;
        for (int i = 0; i < serials.size(); i++) {
            SerialSpec s = serials.get(i);
            String id = "serial" + i;
            String f = "serials[" + i + "]";
            QemuOpts c;
            switch (s.kind()) {
                case FILE -> {
                    Path p = RenderContext.abs(f + ".path", s.path());
                    requireParent(ctx, f + ".path", p);
                    c = QemuOpts.of("chardev", "file").add("id", id).add("path", p.toString());
                }
                case UNIX_SOCKET -> c = QemuOpts.of("chardev", "socket").add("id", id).add("path", unixPath(ctx, f + ".path", s.path()))
                        .onOff("server", true).onOff("wait", false);
                case STDIO -> {
                    if (stdio) {
                        throw new InvalidSpecException(f, "stdio", "only one serial port can use stdio");
                    }
                    stdio = true;
                    c = QemuOpts.of("chardev", "stdio").add("id", id).onOff("signal", false);
                }
                default -> throw new IllegalStateException(s.kind().toString());
            }
            if (s.logfile() != null) {
                Path log = RenderContext.abs(f + ".logfile", s.logfile());
                requireParent(ctx, f + ".logfile", log);
                c.add("logfile", log.toString()).onOff("logappend", true);
            }
            ctx.arg("-chardev", c);
            ctx.arg("-serial", "chardev:" + id);
        }
        channels(ctx);
    }

    /** The virtio-serial controller and one port per channel. */
    private static void channels(RenderContext ctx) {
        List<VirtioSerialChannel> channels = ctx.spec.channels();
        if (channels.isEmpty()) {
            return;
        }
        String bus = "vser0";
        for (int i = 0; i < channels.size(); i++) {
            VirtioSerialChannel ch = channels.get(i);
            ctx.arg("-chardev", QemuOpts.of("chardev", "socket").add("id", "channel" + i)
                    .add("path", unixPath(ctx, "channels[" + i + "].socket", ch.socket())).onOff("server", true).onOff("wait", false));
        }
        ctx.arg("-device", QemuOpts.of("device", ctx.virtio("serial")).add("id", bus));
        for (int i = 0; i < channels.size(); i++) {
            ctx.arg("-device", QemuOpts.of("device", "virtserialport").add("bus", bus + ".0").add("chardev", "channel" + i)
                    .add("name", channels.get(i).name()).add("id", "channel" + i + "-port"));
        }
    }

    private static String unixPath(RenderContext ctx, String field, Path path) {
        Path p = RenderContext.abs(field, path);
        requireParent(ctx, field, p);
        int len = p.toString().getBytes(StandardCharsets.UTF_8).length;
        if (len > MAX_UNIX_PATH) {
            throw new InvalidSpecException(field, p, "unix socket paths are limited to " + MAX_UNIX_PATH + " bytes, this one has " + len);
        }
        return p.toString();
    }

    private static void requireParent(RenderContext ctx, String field, Path p) {
        if (p.getParent() != null && !ctx.host.isDirectory(p.getParent())) {
            throw new InvalidSpecException(field, p, "directory " + p.getParent() + " does not exist");
        }
    }
}
