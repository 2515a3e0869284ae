package io.kvmj.launcher.cloudinit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.kvmj.core.model.CloudInitSpec;
import java.util.List;
import java.util.Optional;

/**
 * The NoCloud {@code user-data} and {@code meta-data} kvmj generates from a {@link CloudInitSpec}, and which user
 * ssh should log in as.
 *
 * <p>Generated user-data (each part only when its option is given; strings are YAML double-quoted):
 * <pre>
 * #cloud-config
 * users:
 *   - default                      # keep the image's default user
 *   - name: root                   # ssh-key= / root-ssh-key=
 *     lock_passwd: false           # do not lock root's password (cloud-init would)
 *     ssh_authorized_keys: ["ssh-ed25519 AAAA... me@host"]
 *   - name: default                # clouduser-ssh-key=: the image's default user
 *     ssh_authorized_keys: ["ssh-ed25519 AAAA... me@host"]
 * disable_root: false              # with root keys: root may log in (cloud images refuse root by default)
 * chpasswd:                        # root-password-generate=on / root-password-file=
 *   expire: true                   # true when generated (change at first login), false from a file
 *   users:
 *     - {name: root, password: "...", type: text}
 * runcmd:                          # disable=on
 *   - "touch /etc/cloud/cloud-init.disabled"
 * </pre>
 * With none of these options it is {@code #cloud-config} and an empty mapping {@code {}}.
 * Meta-data: {@code instance-id: "kvmj-UUID"} (fresh per seed unless given) and {@code local-hostname: "NAME"}.
 * A verbatim {@code user-data=}/{@code meta-data=} file replaces the generated one entirely (virt-install).
 */
public final class CloudInitUserData {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final YAMLMapper YAML = new YAMLMapper();

    private CloudInitUserData() {}

    /** The user-data to write: the verbatim file, or the generated {@code #cloud-config} document. */
    public static String userData(CloudInitSpec spec) {
        if (spec.userData() != null) {
            return spec.userData();
        }
        StringBuilder y = new StringBuilder("#cloud-config\n");
        if (!spec.rootSshKeys().isEmpty() || !spec.clouduserSshKeys().isEmpty()) {
            y.append("users:\n  - default\n");
            if (!spec.rootSshKeys().isEmpty()) {
                y.append("  - name: root\n    lock_passwd: false\n    ssh_authorized_keys:\n");
                list(y, "      ", spec.rootSshKeys());
            }
            if (!spec.clouduserSshKeys().isEmpty()) {
                y.append("  - name: default\n    ssh_authorized_keys:\n");
                list(y, "      ", spec.clouduserSshKeys());
            }
            if (!spec.rootSshKeys().isEmpty()) {
                y.append("disable_root: false\n");
            }
        }
        if (spec.rootPassword() != null) {
            y.append("chpasswd:\n  expire: ").append(spec.rootPasswordGenerated()).append('\n');
            y.append("  users:\n    - name: root\n      password: ").append(quote(spec.rootPassword()))
                    .append("\n      type: text\n");
        }
        if (spec.disable()) {
            y.append("runcmd:\n  - ").append(quote("touch /etc/cloud/cloud-init.disabled")).append('\n');
        }
        if (y.length() == "#cloud-config\n".length()) {
            y.append("{}\n"); // an empty document is not a mapping; cloud-init's schema check refuses it
        }
        return y.toString();
    }

    /** The meta-data to write: the verbatim file, or {@code instance-id} and {@code local-hostname}. */
    public static String metaData(CloudInitSpec spec, String instanceId) {
        if (spec.metaData() != null) {
            return spec.metaData();
        }
        StringBuilder y = new StringBuilder("instance-id: ").append(quote(instanceId)).append('\n');
        if (spec.hostname() != null) {
            y.append("local-hostname: ").append(quote(spec.hostname())).append('\n');
        }
        return y.toString();
    }

    /**
     * Which user ssh should log in as: {@code root} with root keys, the image's default user with
     * {@code clouduser-ssh-key}; for a verbatim {@code #cloud-config} user-data, the first {@code users} entry with
     * keys ({@code ssh_authorized_keys}/{@code ssh_import_id}), else top-level {@code ssh_authorized_keys}: root when
     * it says {@code disable_root: false}, else the image's default user. Empty when nothing grants ssh access that
     * kvmj can see (no keys, or user-data that is not {@code #cloud-config}, e.g. a script or MIME multipart).
     */
    public static Optional<SshUser> sshUser(CloudInitSpec spec) {
        if (spec.userData() == null) {
            if (!spec.rootSshKeys().isEmpty()) {
                return Optional.of(SshUser.ROOT);
            }
            return spec.clouduserSshKeys().isEmpty() ? Optional.empty() : Optional.of(SshUser.IMAGE_DEFAULT);
        }
        if (!spec.userData().startsWith("#cloud-config")) {
            return Optional.empty();
        }
        JsonNode doc;
        try {
            doc = YAML.readTree(spec.userData());
        } catch (Exception e) {
            return Optional.empty(); // cloud-init would reject it too; the guest gets it verbatim all the same
        }
        if (doc == null || !doc.isObject()) {
            return Optional.empty();
        }
        JsonNode users = doc.path("users");
        if (users.isArray()) {
            for (JsonNode u : users) {
                if (u.isObject() && (u.has("ssh_authorized_keys") || u.has("ssh-authorized-keys")
                        || u.has("ssh_import_id"))) {
                    return Optional.of(SshUser.named(u.path("name").isTextual() ? u.path("name").asText() : null));
                }
            }
        }
        if (doc.has("ssh_authorized_keys")) {
            boolean disableRoot = !doc.has("disable_root") || doc.path("disable_root").asBoolean(true);
            return Optional.of(disableRoot ? SshUser.IMAGE_DEFAULT : SshUser.ROOT);
        }
        return Optional.empty();
    }

    private static void list(StringBuilder y, String indent, List<String> items) {
        for (String s : items) {
            y.append(indent).append("- ").append(quote(s)).append('\n');
        }
    }

    /** A YAML double-quoted scalar (JSON string syntax is a subset of it). */
    static String quote(String s) {
        try {
            return JSON.writeValueAsString(s);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
