package io.kvmj.core.qemu;

import io.kvmj.core.model.InvalidSpecException;
import io.kvmj.core.model.VncSpec;

import java.nio.file.Files;
import java.nio.file.Path;

/** {@code -display none} always; VNC on 127.0.0.1 (with a VGA device) when asked, optional password secret. */
final class DisplayRenderer implements ArgRenderer {
    static final String VNC_SECRET = "vnc-secret";

    @Override
    public void render(RenderContext ctx) {
        ctx.arg("-display", "none");
        VncSpec v = ctx.spec.vnc();
        if (v == null) {
            return;
        }
        ctx.requireNotMicrovm("vnc", "VGA");
        if (!v.host().startsWith("127.") && !v.host().equals("localhost")) {
            ctx.warn("vnc.host", "VNC listens on " + v.host() + ", reachable from other machines; VNC traffic is unencrypted");
        }
        QemuOpts vnc = QemuOpts.of("vnc", v.host() + ":" + v.display());
        if (v.passwordFile() != null) {
            Path pw = RenderContext.abs("vnc.passwordFile", v.passwordFile());
            // a password given as text is written to passwordFile by the launcher at launch, after rendering
            if (v.password() == null && !Files.isRegularFile(pw)) {
                throw new InvalidSpecException("vnc.passwordFile", pw, "password file does not exist");
            }
            ctx.arg("-object", QemuOpts.of("object", "secret").add("id", VNC_SECRET).add("file", pw.toString()).add("format", "raw"));
            vnc.add("password-secret", VNC_SECRET);
        } else if (v.password() != null) {
            throw new InvalidSpecException("vnc.password", "(hidden)", "a password reaches QEMU only through a file "
                    + "(passwordFile); the launcher sets one in the runtime directory");
        } else if (!v.host().startsWith("127.")) {
            ctx.warn("vnc.password", "VNC on a non-loopback address without a password");
        }
        ctx.arg("-vnc", vnc);
        ctx.arg("-device", QemuOpts.of("device", "VGA").add("id", "video0"));
    }
}
