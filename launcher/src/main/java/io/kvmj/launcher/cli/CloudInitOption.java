package io.kvmj.launcher.cli;

import io.kvmj.core.model.CloudInitSpec;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

/**
 * {@code kvmj run --cloud-init [KEY=VALUE,...]}: virt-install's {@code --cloud-init} keys and semantics.
 *
 * <pre>
 * --cloud-init                                      # = root-password-generate=on,disable=on (virt-install)
 * --cloud-init ssh-key=~/.ssh/id_ed25519.pub        # root may ssh in with that key
 * --cloud-init user-data=ud.yaml,meta-data=md.yaml,network-config=net.yaml
 * </pre>
 * Keys: {@code root-password-generate=on} (print a generated root password once, on stderr; expired at first
 * login), {@code root-password-file=FILE} (its first line), {@code disable=on} (cloud-init disables itself after
 * the first boot), {@code ssh-key=FILE} / {@code root-ssh-key=FILE} (public keys for root, one per line),
 * {@code clouduser-ssh-key=FILE} (for the image's default user), {@code user-data=FILE}, {@code meta-data=FILE},
 * {@code network-config=FILE} (verbatim), and kvmj's own {@code hostname=NAME} (meta-data local-hostname; default:
 * the guest name) and {@code instance-id=ID} (default: fresh per launch). Files are read here, so the launch uses
 * what was checked; errors are {@link IllegalArgumentException}s with one line naming the key.
 */
public final class CloudInitOption {
    static final String OPTION = "--cloud-init";
    static final Set<String> KEYS = Set.of("root-password-generate", "root-password-file", "disable", "ssh-key",
            "root-ssh-key", "clouduser-ssh-key", "user-data", "meta-data", "network-config", "hostname", "instance-id");

    private CloudInitOption() {}

    /** Parses the option's value; an empty value is the bare {@code --cloud-init}. */
    public static CloudInitSpec parse(String text) {
        if (text == null || text.isEmpty()) {
            return CloudInitSpec.builder().rootPasswordGenerate(true).disable(true).build();
        }
        OptionString o = OptionString.parse(OPTION, text, null, KEYS);
        if (o.get("ssh-key").isPresent() && o.get("root-ssh-key").isPresent()) {
            throw new IllegalArgumentException(OPTION + ": ssh-key and root-ssh-key are the same key; give one");
        }
        if (o.get("root-password-file").isPresent() && o.flag("root-password-generate", false)) {
            throw new IllegalArgumentException(OPTION + ": root-password-file and root-password-generate=on exclude each other");
        }
        CloudInitSpec.Builder b = CloudInitSpec.builder();
        o.get("ssh-key").or(() -> o.get("root-ssh-key")).ifPresent(f -> {
            String key = o.get("ssh-key").isPresent() ? "ssh-key" : "root-ssh-key";
            b.rootSshKey(keyFile(key, f));
        });
        o.get("clouduser-ssh-key").ifPresent(f -> b.clouduserSshKey(keyFile("clouduser-ssh-key", f)));
        o.get("root-password-file").ifPresent(f -> {
            String first = read("root-password-file", f).split("\r?\n", 2)[0];
            if (first.isEmpty()) {
                throw new IllegalArgumentException(OPTION + ": root-password-file: the first line of " + f + " is empty");
            }
            b.rootPassword(first);
        });
        if (o.flag("root-password-generate", false)) {
            b.rootPasswordGenerate(true);
        }
        b.disable(o.flag("disable", false));
        o.get("user-data").ifPresent(f -> b.userData(read("user-data", f)));
        o.get("meta-data").ifPresent(f -> b.metaData(read("meta-data", f)));
        o.get("network-config").ifPresent(f -> b.networkConfig(read("network-config", f)));
        o.get("hostname").ifPresent(b::hostname);
        o.get("instance-id").ifPresent(b::instanceId);
        try {
            return b.build();
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(OPTION + ": " + e.getMessage(), e);
        }
    }

    private static String keyFile(String key, String file) {
        String text = read(key, file);
        if (text.contains("PRIVATE KEY")) {
            throw new IllegalArgumentException(OPTION + ": " + key + ": " + file
                    + " is a private key; give the public key (.pub)");
        }
        if (CloudInitSpec.publicKeyLines(text).isEmpty()) {
            throw new IllegalArgumentException(OPTION + ": " + key + ": " + file + " holds no public key");
        }
        return text;
    }

    /** The file's text (UTF-8); a missing, unreadable or non-text file is a one-line error naming the key. */
    static String read(String key, String file) {
        if (file.isEmpty()) {
            throw new IllegalArgumentException(OPTION + ": " + key + "= needs a file");
        }
        Path p = Path.of(file);
        if (!Files.exists(p)) {
            throw new IllegalArgumentException(OPTION + ": " + key + ": no such file: " + file);
        }
        if (Files.isDirectory(p)) {
            throw new IllegalArgumentException(OPTION + ": " + key + ": is a directory: " + file);
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(p);
        } catch (IOException e) {
            throw new IllegalArgumentException(OPTION + ": " + key + ": cannot read " + file + ": " + e.getMessage());
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException(OPTION + ": " + key + ": " + file
                    + " is not UTF-8 text (compressed user-data is not supported)");
        }
    }
}
