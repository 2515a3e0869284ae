package io.kvmj.launcher.osimage;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * One {@code --ssh-inject} in virt-builder's vocabulary: {@code USER:file:KEY.pub} or {@code USER:string:KEY}; the
 * key is appended to the user's {@code ~/.ssh/authorized_keys} in the image. The user must exist in the image
 * (the base image has {@code root} only; cloud-init creates its default user at first boot).
 *
 * @param user    the account, e.g. {@code root}
 * @param keyFile the public key file ({@code file:}), or null
 * @param key     the literal key ({@code string:}), or null
 */
public record SshKeyInjection(String user, Path keyFile, String key) {
    private static final Pattern USER = Pattern.compile("[a-z_][a-z0-9_-]*[$]?");

    public SshKeyInjection {
        if (user == null || !USER.matcher(user).matches()) {
            throw new IllegalArgumentException("--ssh-inject: bad user name '" + user + "'");
        }
        if ((keyFile == null) == (key == null)) {
            throw new IllegalArgumentException("--ssh-inject: give exactly one of file:KEY.pub or string:KEY");
        }
    }

    /**
     * Parses {@code USER:file:PATH} or {@code USER:string:KEY}.
     *
     * @throws IllegalArgumentException for other forms (a bare {@code USER} needs ~/.ssh of the caller; not supported)
     */
    public static SshKeyInjection parse(String s) {
        String[] p = s.split(":", 3);
        if (p.length != 3 || p[2].isEmpty() || !(p[1].equals("file") || p[1].equals("string"))) {
            throw new IllegalArgumentException("--ssh-inject must be USER:file:KEY.pub or USER:string:KEY, not '" + s + "'");
        }
        return p[1].equals("file") ? new SshKeyInjection(p[0], Path.of(p[2]), null) : new SshKeyInjection(p[0], null, p[2]);
    }

    /**
     * The key line to append (checked to look like an OpenSSH public key, so a private key or a typo is refused).
     *
     * @throws IllegalArgumentException if the file cannot be read or holds no public key
     */
    public String keyLine() {
        String text;
        if (keyFile != null) {
            try {
                text = Files.readString(keyFile, StandardCharsets.UTF_8).strip();
            } catch (IOException e) {
                throw new IllegalArgumentException("--ssh-inject: cannot read " + keyFile + ": " + e.getMessage());
            }
        } else {
            text = key.strip();
        }
        if (text.contains("PRIVATE KEY")) {
            throw new IllegalArgumentException("--ssh-inject: " + (keyFile != null ? keyFile : "the key") + " is a private key");
        }
        if (text.isEmpty() || text.contains("\n") || !text.matches("(ssh-|ecdsa-|sk-)\\S+ \\S+.*")) {
            throw new IllegalArgumentException("--ssh-inject: " + (keyFile != null ? keyFile : "the key")
                + " is not one OpenSSH public key line");
        }
        return text;
    }

    @Override
    public String toString() {
        return user + (keyFile != null ? ":file:" + keyFile : ":string:…");
    }
}
