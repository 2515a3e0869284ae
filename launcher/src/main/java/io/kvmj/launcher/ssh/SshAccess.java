package io.kvmj.launcher.ssh;

import io.kvmj.launcher.GuestException;
import io.kvmj.launcher.GuestInfo;
import io.kvmj.launcher.process.GuestRecord;
import io.kvmj.launcher.process.RuntimeDir;
import io.kvmj.qga.QgaClient;
import io.kvmj.qga.QgaClientOptions;
import io.kvmj.qga.QgaException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * How to reach a guest over ssh: the 127.0.0.1 port QEMU forwards to guest port 22 and the user (root unless
 * cloud-init's user-data named another), both from the guest's {@link GuestRecord} ({@code sshPort},
 * {@code cloudInitSshUser}), and the host key.
 *
 * <p>Host keys are never ignored. When the guest agent answers, the guest's public host keys are read through it (a
 * channel that does not go over the network) and written to a {@code known_hosts} in the runtime directory;
 * ssh then runs with {@code StrictHostKeyChecking=yes}. Without an agent, kvmj keeps
 * {@code $XDG_STATE_HOME/kvmj/known_hosts} (default {@code ~/.local/state/kvmj}) under the alias
 * {@code kvmj-NAME} with {@code StrictHostKeyChecking=accept-new}: the first key is trusted, a changed one is refused
 * by ssh, and the note says how to forget it.
 *
 * <pre>{@code
 * SshInvocation inv = SshAccess.forGuest(GuestRegistry.require("vm1")).invocation(null, null, List.of("uname", "-r"));
 * Process p = new ProcessBuilder(inv.argv()).inheritIO().start();
 * }</pre>
 */
public final class SshAccess {
    private static final List<String> HOST_KEYS = List.of("ssh_host_ed25519_key.pub", "ssh_host_ecdsa_key.pub",
            "ssh_host_rsa_key.pub");

    private final String name;
    private final Path runtimeDir;
    private final GuestRecord info;

    private SshAccess(String name, Path runtimeDir, GuestRecord info) {
        this.name = name;
        this.runtimeDir = runtimeDir;
        this.info = info;
    }

    /** Access to a running guest, from what its runtime directory records. */
    public static SshAccess forGuest(GuestInfo g) {
        GuestRecord info = RuntimeDir.find(g.name()).map(RuntimeDir::record)
                .orElseThrow(() -> new GuestException("guest '" + g.name() + "' is not running"));
        return new SshAccess(g.name(), g.runtimeDir(), info);
    }

    /** Access from explicit values (a guest launched in this JVM, tests). */
    public static SshAccess of(String name, Path runtimeDir, GuestRecord info) {
        return new SshAccess(name, runtimeDir, info);
    }

    /** The forwarded host port; {@link GuestException} when the guest has none. */
    public int port() {
        Integer p = info.sshPort();
        if (p == null) {
            throw new GuestException("guest '" + name + "' has no ssh port forward (launched without user networking,"
                    + " or with its own hostfwd to port 22: use ssh -p PORT yourself)");
        }
        return p;
    }

    /**
     * The default user: the one cloud-init gave the key to; root when none was recorded (no cloud-init, as
     * virt-install's ssh-key= does); null for the image's default user, whose name only the image knows (then ssh's
     * own default applies unless {@code -l} is given).
     */
    public String user() {
        String u = info.cloudInitSshUser();
        if (u == null || u.isBlank()) {
            return "root";
        }
        return u.equals("default") ? null : u;
    }

    /**
     * The ssh command line.
     *
     * @param user     login user, or null for {@link #user()}
     * @param identity private key, or null for ssh's defaults
     * @param command  remote command, empty for a login shell
     */
    public SshInvocation invocation(String user, Path identity, List<String> command) {
        int port = port();
        List<String> notes = new ArrayList<>();
        List<String> argv = new ArrayList<>(List.of("ssh", "-p", Integer.toString(port)));
        String alias = "kvmj-" + name;
        argv.addAll(List.of("-o", "HostKeyAlias=" + alias));
        Path pinned = pinHostKeys(alias);
        if (pinned != null) {
            argv.addAll(List.of("-o", "UserKnownHostsFile=" + pinned, "-o", "StrictHostKeyChecking=yes"));
        } else {
            Path known = userKnownHosts();
            argv.addAll(List.of("-o", "UserKnownHostsFile=" + known, "-o", "StrictHostKeyChecking=accept-new"));
            notes.add("host key not pinned (no guest agent answer): trusting it on first use; if ssh reports a changed"
                    + " key for a re-created guest, forget it with: ssh-keygen -R " + alias + " -f " + known);
        }
        Path id = identity;
        if (id != null) {
            argv.addAll(List.of("-i", id.toString(), "-o", "IdentitiesOnly=yes"));
        }
        String login = user != null ? user : user();
        if (login != null) {
            argv.addAll(List.of("-l", login));
        } else {
            notes.add("cloud-init gave the key to the image's default user: give its name with -l");
        }
        argv.add("127.0.0.1");
        if (!command.isEmpty()) {
            argv.add("--");
            argv.addAll(command);
        }
        return new SshInvocation(argv, notes);
    }

    /**
     * Reads the guest's public host keys through its agent and writes them, under {@code alias}, to
     * {@code known_hosts} in the runtime directory. Returns that file, or null when the agent did not answer or the
     * guest has no host keys yet.
     */
    Path pinHostKeys(String alias) {
        Path sock = runtimeDir.resolve("qga.sock");
        if (!Files.exists(sock)) {
            return null;
        }
        QgaClientOptions o = QgaClientOptions.builder().commandTimeout(Duration.ofSeconds(5))
                .syncTimeout(Duration.ofSeconds(2)).build();
        StringBuilder lines = new StringBuilder();
        try (QgaClient qga = QgaClient.open(sock, o)) {
            for (String k : HOST_KEYS) {
                String pub;
                try {
                    pub = new String(qga.readFile("/etc/ssh/" + k), StandardCharsets.UTF_8).trim();
                } catch (io.kvmj.qga.QgaErrorException e) {
                    continue; // that key type does not exist in the guest
                }
                String[] parts = pub.split("\\s+");
                if (parts.length >= 2) {
                    lines.append(alias).append(' ').append(parts[0]).append(' ').append(parts[1]).append('\n');
                }
            }
        } catch (QgaException e) {
            return null;
        }
        if (lines.length() == 0) {
            return null;
        }
        Path known = runtimeDir.resolve("known_hosts");
        try {
            Path tmp = Files.createTempFile(runtimeDir, ".known_hosts", ".tmp");
            Files.writeString(tmp, lines.toString(), StandardCharsets.UTF_8);
            Files.move(tmp, known, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + known, e);
        }
        return known;
    }

    /** {@code $XDG_STATE_HOME/kvmj/known_hosts} (default {@code ~/.local/state/kvmj/known_hosts}), directory created. */
    static Path userKnownHosts() {
        String xdg = System.getenv("XDG_STATE_HOME");
        Path base = xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute() ? Path.of(xdg)
                : Path.of(System.getProperty("user.home"), ".local", "state");
        Path dir = base.resolve("kvmj");
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir, e);
        }
        return dir.resolve("known_hosts");
    }
}
