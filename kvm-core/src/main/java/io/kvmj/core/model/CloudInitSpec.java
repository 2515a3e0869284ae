package io.kvmj.core.model;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Cloud-init configuration for a guest, as virt-install's {@code --cloud-init}: kvmj writes a NoCloud seed (an
 * ISO 9660 volume labelled {@code cidata} with {@code user-data}, {@code meta-data} and optionally
 * {@code network-config}) into the guest's runtime directory at launch and attaches it read-only as a CD-ROM.
 *
 * <p>Semantics (virt-install's, see {@code man virt-install}, {@code --cloud-init}):
 * <ul>
 *   <li>{@link #rootSshKeys()}: public keys for {@code root} ({@code ssh-key=} / {@code root-ssh-key=}); the
 *       generated user-data also says {@code disable_root: false}, so cloud images let root in.</li>
 *   <li>{@link #clouduserSshKeys()}: public keys for the image's default user ({@code clouduser-ssh-key=}).</li>
 *   <li>{@link #rootPassword()}: the root password ({@code root-password-file=}, or generated with
 *       {@code root-password-generate=on}: 16 letters and digits from {@link SecureRandom}, already in the built
 *       spec, expired at first login as virt-install does; {@link #toString()} never shows it).</li>
 *   <li>{@link #disable()}: cloud-init disables itself after the first boot (virt-install's {@code disable=on}).</li>
 *   <li>{@link #userData()}, {@link #metaData()}: when given, used verbatim, and every option that would go into
 *       that file is ignored, exactly as in virt-install ({@link #ignoredOptions()} names them).</li>
 *   <li>{@link #networkConfig()}: written as {@code network-config} when given.</li>
 *   <li>{@link #hostname()}: meta-data {@code local-hostname}; the launcher defaults it to the guest name.</li>
 *   <li>{@link #instanceId()}: meta-data {@code instance-id}; when null, every seed gets a fresh one (so
 *       cloud-init treats each launch as a new instance and applies keys and passwords again).</li>
 *   <li>{@link #seed()}: where the seed ISO is attached; filled in by the launcher (the guest's runtime directory),
 *       rendered as a read-only {@code ide-cd} with id {@value #SEED_ID}.</li>
 * </ul>
 *
 * <pre>{@code
 * CloudInitSpec ci = CloudInitSpec.builder()
 *         .rootSshKey(Files.readString(Path.of("/home/me/.ssh/id_ed25519.pub")))
 *         .rootPasswordGenerate(true)
 *         .build();
 * GuestSpec spec = GuestSpec.builder("vm1").disk(debianDisk).cloudInit(ci).build();
 * System.err.println("root password: " + ci.rootPassword());
 * }</pre>
 */
public record CloudInitSpec(
        List<String> rootSshKeys,
        List<String> clouduserSshKeys,
        String rootPassword,
        boolean rootPasswordGenerated,
        boolean disable,
        String userData,
        String metaData,
        String networkConfig,
        String hostname,
        String instanceId,
        Path seed) {

    /** Device id (and block node prefix) of the attached seed CD-ROM. */
    public static final String SEED_ID = "cidata";
    /** File name of the seed in the runtime directory. */
    public static final String SEED_FILE = "cidata.iso";

    private static final Pattern HOSTNAME = Pattern.compile(
            "[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*");
    private static final Pattern INSTANCE_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,127}");
    private static final String PASSWORD_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    public CloudInitSpec {
        rootSshKeys = keys("rootSshKeys", rootSshKeys);
        clouduserSshKeys = keys("clouduserSshKeys", clouduserSshKeys);
        if (rootPassword != null && (rootPassword.isEmpty() || rootPassword.contains("\n")
                || rootPassword.contains("\r"))) {
            throw new InvalidSpecException("cloudInit.rootPassword", "(hidden)", "empty or more than one line");
        }
        if (rootPasswordGenerated && rootPassword == null) {
            throw new InvalidSpecException("cloudInit.rootPassword", null, "generated but missing (use the builder)");
        }
        if (hostname != null && (hostname.length() > 253 || !HOSTNAME.matcher(hostname).matches())) {
            throw new InvalidSpecException("cloudInit.hostname", hostname,
                    "not a host name (letters, digits, '-' inside labels, labels separated by '.')");
        }
        if (instanceId != null && !INSTANCE_ID.matcher(instanceId).matches()) {
            throw new InvalidSpecException("cloudInit.instanceId", instanceId,
                    "1-128 letters, digits, '.', '_', ':' or '-', starting with a letter or digit");
        }
        if (seed != null && !seed.isAbsolute()) {
            throw new InvalidSpecException("cloudInit.seed", seed, "must be an absolute path");
        }
    }

    public static Builder builder() { return new Builder(); }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.rootSshKeys.addAll(rootSshKeys); b.clouduserSshKeys.addAll(clouduserSshKeys);
        b.rootPassword = rootPassword; b.rootPasswordGenerated = rootPasswordGenerated; b.disable = disable;
        b.userData = userData; b.metaData = metaData; b.networkConfig = networkConfig; b.hostname = hostname;
        b.instanceId = instanceId; b.seed = seed;
        return b;
    }

    /** This spec attached at {@code seedPath} (what the launcher does with the runtime directory's path). */
    public CloudInitSpec withSeed(Path seedPath) { return toBuilder().seed(seedPath).build(); }

    /** This spec with {@code name} as host name, unless one is set already. */
    public CloudInitSpec withDefaultHostname(String name) {
        return hostname != null ? this : toBuilder().hostname(hostnameFor(name)).build();
    }

    /**
     * The options that have no effect because a verbatim file replaces what they would generate (virt-install
     * ignores them silently; kvmj names them so the CLI can warn), e.g. {@code [root-ssh-key]} with {@code user-data=}.
     */
    public List<String> ignoredOptions() {
        List<String> out = new ArrayList<>();
        if (userData != null) {
            if (!rootSshKeys.isEmpty()) {
                out.add("root-ssh-key");
            }
            if (!clouduserSshKeys.isEmpty()) {
                out.add("clouduser-ssh-key");
            }
            if (rootPassword != null) {
                out.add(rootPasswordGenerated ? "root-password-generate" : "root-password-file");
            }
            if (disable) {
                out.add("disable");
            }
        }
        if (metaData != null) {
            if (hostname != null) {
                out.add("hostname");
            }
            if (instanceId != null) {
                out.add("instance-id");
            }
        }
        return out;
    }

    /** A valid host name derived from a guest name: {@code _} becomes {@code -}, at most 63 characters. */
    public static String hostnameFor(String guestName) {
        String h = guestName.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9.-]", "-").replaceAll("^[-.]+|[-.]+$", "");
        if (h.length() > 63) {
            h = h.substring(0, 63).replaceAll("[-.]+$", "");
        }
        return h.isEmpty() || !HOSTNAME.matcher(h).matches() ? "kvmj-guest" : h;
    }

    /** A fresh password: 16 letters and digits from {@link SecureRandom} (virt-install's alphabet and length). */
    public static String generatePassword() {
        SecureRandom r = new SecureRandom();
        StringBuilder sb = new StringBuilder(16);
        for (int i = 0; i < 16; i++) {
            sb.append(PASSWORD_CHARS.charAt(r.nextInt(PASSWORD_CHARS.length())));
        }
        return sb.toString();
    }

    /**
     * The public-key lines of an OpenSSH {@code .pub} or {@code authorized_keys} text: blank lines and
     * {@code #} comments dropped. A private key is refused (it must never reach a seed).
     */
    public static List<String> publicKeyLines(String text) {
        List<String> out = new ArrayList<>();
        for (String line : text.split("\r?\n")) {
            String l = line.strip();
            if (!l.isEmpty() && !l.startsWith("#")) {
                out.add(l);
            }
        }
        return out;
    }

    private static List<String> keys(String field, List<String> keys) {
        List<String> out = List.copyOf(keys == null ? List.of() : keys);
        for (String k : out) {
            if (k.contains("PRIVATE KEY")) {
                throw new InvalidSpecException("cloudInit." + field, "(private key)",
                        "this is a private key; give the public key (.pub)");
            }
            if (k.isBlank() || k.contains("\n") || k.contains("\r") || !looksLikePublicKey(k)) {
                throw new InvalidSpecException("cloudInit." + field, k, "not an OpenSSH public key line");
            }
        }
        return out;
    }

    /** {@code [options] TYPE BASE64 [comment]}, TYPE e.g. ssh-ed25519, ecdsa-sha2-nistp256, sk-ssh-ed25519@openssh.com. */
    private static boolean looksLikePublicKey(String line) {
        String[] parts = line.strip().split("\\s+");
        for (int i = 0; i + 1 < parts.length && i < 2; i++) {
            if (parts[i].matches("(ssh-[a-z0-9-]+|ecdsa-sha2-[a-z0-9-]+|sk-[a-z0-9-]+@openssh\\.com|ssh-[a-z0-9-]+-cert-v01@openssh\\.com)")
                    && parts[i + 1].matches("[A-Za-z0-9+/]+={0,2}")) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return "CloudInitSpec[rootSshKeys=" + rootSshKeys.size() + ", clouduserSshKeys=" + clouduserSshKeys.size()
                + ", rootPassword=" + (rootPassword == null ? "none" : rootPasswordGenerated ? "(generated)" : "(given)")
                + ", disable=" + disable + ", userData=" + (userData == null ? "generated" : "given")
                + ", metaData=" + (metaData == null ? "generated" : "given")
                + ", networkConfig=" + (networkConfig == null ? "none" : "given")
                + ", hostname=" + hostname + ", instanceId=" + instanceId + ", seed=" + seed + "]";
    }

    /** Mutable builder for {@link CloudInitSpec}. */
    public static final class Builder {
        private final List<String> rootSshKeys = new ArrayList<>();
        private final List<String> clouduserSshKeys = new ArrayList<>();
        private String rootPassword;
        private boolean rootPasswordGenerated;
        private boolean disable;
        private String userData;
        private String metaData;
        private String networkConfig;
        private String hostname;
        private String instanceId;
        private Path seed;

        private Builder() {}

        /** Adds the key lines of an OpenSSH public key text (see {@link #publicKeyLines(String)}) for root. */
        public Builder rootSshKey(String publicKeyText) { rootSshKeys.addAll(publicKeyLines(publicKeyText)); return this; }
        /** Adds the key lines of an OpenSSH public key text for the image's default user. */
        public Builder clouduserSshKey(String publicKeyText) { clouduserSshKeys.addAll(publicKeyLines(publicKeyText)); return this; }
        /** A fixed root password (virt-install's {@code root-password-file=}: not expired). */
        public Builder rootPassword(String v) { rootPassword = v; rootPasswordGenerated = false; return this; }
        /** Generate a root password at {@link #build()} (expired at first login); read it with {@link CloudInitSpec#rootPassword()}. */
        public Builder rootPasswordGenerate(boolean v) {
            rootPasswordGenerated = v;
            if (v) {
                rootPassword = null;
            }
            return this;
        }
        public Builder disable(boolean v) { disable = v; return this; }
        /** Verbatim user-data (e.g. a {@code #cloud-config} document); replaces the generated one. */
        public Builder userData(String v) { userData = v; return this; }
        /** Verbatim meta-data; replaces the generated one. */
        public Builder metaData(String v) { metaData = v; return this; }
        public Builder networkConfig(String v) { networkConfig = v; return this; }
        public Builder hostname(String v) { hostname = v; return this; }
        public Builder instanceId(String v) { instanceId = v; return this; }
        public Builder seed(Path v) { seed = v; return this; }

        public CloudInitSpec build() {
            String pw = rootPassword;
            if (rootPasswordGenerated && pw == null) {
                pw = generatePassword();
                rootPassword = pw; // a second build() of this builder keeps the same password
            }
            return new CloudInitSpec(rootSshKeys, clouduserSshKeys, pw, rootPasswordGenerated, disable, userData,
                    metaData, networkConfig, hostname, instanceId, seed);
        }
    }
}
