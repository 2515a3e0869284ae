package io.kvmj.core.model;

import java.nio.file.Path;

/**
 * VNC display {@code host:display} (port 5900+display). Bound to 127.0.0.1 unless {@link #anyAddress(int)} is
 * asked for explicitly. The password, if any, reaches QEMU as a secret object read from a file (never as text on
 * QEMU's command line):
 * <ul>
 *   <li>{@code passwordFile}: a file of the user's holding the password;</li>
 *   <li>{@code password}: the password itself (virt-install's {@code --graphics vnc,password=...}). The launcher
 *       writes it into the guest's 0700 runtime directory (mode 0600) just before QEMU starts and keeps it there
 *       while the guest lives (a migration destination or a restore of the guest reads it again); it is left out
 *       of {@link #toString()} and of the spec JSON.</li>
 * </ul>
 *
 * <pre>{@code
 * VncSpec open = VncSpec.anyAddress(1).withPassword("s3cret");      // -vnc 0.0.0.0:1,password-secret=vnc-secret
 * VncSpec local = VncSpec.loopback(0);                               // -vnc 127.0.0.1:0
 * }</pre>
 */
public record VncSpec(String host, int display, Path passwordFile, String password) {
    public VncSpec {
        host = host == null ? "127.0.0.1" : host;
        if (!host.matches("[0-9A-Za-z.]+")) {
            throw new InvalidSpecException("vnc.host", host, "not an IPv4 address or host name");
        }
        if (display < 0 || display > 59635) {
            throw new InvalidSpecException("vnc.display", display, "out of range");
        }
        if (password != null && password.isEmpty()) {
            throw new InvalidSpecException("vnc.password", "", "empty; leave the password out instead");
        }
        if (password != null && (password.indexOf('\n') >= 0 || password.indexOf('\0') >= 0)) {
            throw new InvalidSpecException("vnc.password", "(hidden)", "a password cannot hold a newline or NUL");
        }
    }

    /** Without a literal password (none, or one in {@code passwordFile}). */
    public VncSpec(String host, int display, Path passwordFile) {
        this(host, display, passwordFile, null);
    }

    public static VncSpec loopback(int display) { return new VncSpec("127.0.0.1", display, null); }

    /** Listens on every interface (0.0.0.0); only when asked explicitly. */
    public static VncSpec anyAddress(int display) { return new VncSpec("0.0.0.0", display, null); }

    public VncSpec withPasswordFile(Path file) { return new VncSpec(host, display, file, password); }

    /** This display with the password itself (written to a private file at launch, see the class comment). */
    public VncSpec withPassword(String secret) { return new VncSpec(host, display, passwordFile, secret); }

    /** True when a VNC client must give a password (a password file or a password is set). */
    public boolean hasPassword() { return passwordFile != null || password != null; }

    public int port() { return 5900 + display; }

    /** Never shows the password itself. */
    @Override
    public String toString() {
        return "VncSpec[host=" + host + ", display=" + display + ", passwordFile=" + passwordFile
                + ", password=" + (password == null ? "null" : "(hidden)") + "]";
    }
}
