package io.kvmj.launcher.cloudinit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.kvmj.core.model.CloudInitSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Generated user-data and meta-data: parsed back as YAML, and every generated variant accepted by the real
 * cloud-init schema validator ({@code cloud-init schema --config-file}, Debian's cloud-init package).
 */
class CloudInitUserDataTest {
    static final String KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBjGKOr0ejQ+BMNfSU+BvOgtVAws34lBHsiviAyB0zt6 me@host";
    static final String ODD = "from=\"10.0.0.0/8\",no-pty ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQC7 it's \"odd\": #1 ünï \\ end";
    static final YAMLMapper YAML = new YAMLMapper();

    @TempDir
    Path tmp;

    @Test
    void rootKeyGivesRootAccessAndKeepsTheDefaultUser() throws Exception {
        CloudInitSpec ci = CloudInitSpec.builder().rootSshKey(KEY + "\n" + ODD).build();
        String ud = CloudInitUserData.userData(ci);
        assertTrue(ud.startsWith("#cloud-config\n"), ud);
        JsonNode y = YAML.readTree(ud);
        assertEquals("default", y.path("users").get(0).asText());
        JsonNode root = y.path("users").get(1);
        assertEquals("root", root.path("name").asText());
        assertFalse(root.path("lock_passwd").asBoolean(true));
        assertEquals(List.of(KEY, ODD), texts(root.path("ssh_authorized_keys")), "keys survive YAML byte-exactly");
        assertFalse(y.path("disable_root").asBoolean(true));
        assertFalse(y.has("chpasswd") || y.has("runcmd") || y.has("ssh_authorized_keys"));
        assertEquals(Optional.of(SshUser.ROOT), CloudInitUserData.sshUser(ci));
        assertValidCloudConfig(ud);
    }

    @Test
    void clouduserKeyGoesToTheImagesDefaultUserOnly() throws Exception {
        CloudInitSpec ci = CloudInitSpec.builder().clouduserSshKey(KEY).build();
        String ud = CloudInitUserData.userData(ci);
        JsonNode y = YAML.readTree(ud);
        JsonNode def = y.path("users").get(1);
        assertEquals("default", def.path("name").asText());
        assertEquals(List.of(KEY), texts(def.path("ssh_authorized_keys")));
        assertFalse(y.has("disable_root"), "root stays refused, as cloud images do by default");
        assertEquals(Optional.of(SshUser.IMAGE_DEFAULT), CloudInitUserData.sshUser(ci));
        assertValidCloudConfig(ud);
    }

    @Test
    void generatedPasswordExpiresFilePasswordDoesNotDisableAddsRuncmd() throws Exception {
        CloudInitSpec gen = CloudInitSpec.builder().rootPasswordGenerate(true).disable(true).build();
        String ud = CloudInitUserData.userData(gen);
        JsonNode y = YAML.readTree(ud);
        assertTrue(y.path("chpasswd").path("expire").asBoolean(false));
        JsonNode u = y.path("chpasswd").path("users").get(0);
        assertEquals("root", u.path("name").asText());
        assertEquals(gen.rootPassword(), u.path("password").asText());
        assertEquals("text", u.path("type").asText());
        assertEquals(List.of("touch /etc/cloud/cloud-init.disabled"), texts(y.path("runcmd")));
        assertEquals(Optional.empty(), CloudInitUserData.sshUser(gen), "a password alone grants no ssh key login");
        assertValidCloudConfig(ud);

        String odd = "p:a\"s#s\\w ord ünï";
        CloudInitSpec file = CloudInitSpec.builder().rootPassword(odd).rootSshKey(KEY).clouduserSshKey(KEY).build();
        String ud2 = CloudInitUserData.userData(file);
        JsonNode y2 = YAML.readTree(ud2);
        assertFalse(y2.path("chpasswd").path("expire").asBoolean(true));
        assertEquals(odd, y2.path("chpasswd").path("users").get(0).path("password").asText());
        assertEquals(3, y2.path("users").size());
        assertValidCloudConfig(ud2);
    }

    @Test
    void emptySpecIsAValidEmptyCloudConfig() throws Exception {
        String ud = CloudInitUserData.userData(CloudInitSpec.builder().build());
        assertEquals("#cloud-config\n{}\n", ud);
        assertValidCloudConfig(ud);
    }

    @Test
    void metaDataHasInstanceIdAndHostnameUnlessGivenVerbatim() throws Exception {
        CloudInitSpec ci = CloudInitSpec.builder().hostname("web-1").build();
        JsonNode m = YAML.readTree(CloudInitUserData.metaData(ci, "kvmj-abc"));
        assertEquals("kvmj-abc", m.path("instance-id").asText());
        assertEquals("web-1", m.path("local-hostname").asText());
        assertFalse(YAML.readTree(CloudInitUserData.metaData(CloudInitSpec.builder().build(), "i")).has("local-hostname"));
        String verbatim = "instance-id: mine\nlocal-hostname: theirs\n# kept\n";
        assertEquals(verbatim, CloudInitUserData.metaData(CloudInitSpec.builder().metaData(verbatim).build(), "x"));
    }

    @Test
    void verbatimUserDataIsUsedAsIsAndTellsTheSshUser() {
        String ud = "#cloud-config\nusers:\n  - name: alice\n    ssh_authorized_keys: [\"" + KEY + "\"]\n";
        CloudInitSpec ci = CloudInitSpec.builder().userData(ud).rootSshKey(KEY).build();
        assertEquals(ud, CloudInitUserData.userData(ci), "ssh-key is not merged in, as virt-install");
        assertEquals(Optional.of(SshUser.named("alice")), CloudInitUserData.sshUser(ci));
        assertEquals("alice", CloudInitUserData.sshUser(ci).orElseThrow().name());
        assertEquals(Optional.of(SshUser.ROOT), sshUser("#cloud-config\ndisable_root: false\nssh_authorized_keys: [\"" + KEY + "\"]\n"));
        assertEquals(Optional.of(SshUser.IMAGE_DEFAULT), sshUser("#cloud-config\nssh_authorized_keys: [\"" + KEY + "\"]\n"));
        assertEquals(Optional.of(SshUser.IMAGE_DEFAULT), sshUser("#cloud-config\nusers:\n  - default\n  - ssh-authorized-keys: [k]\n"));
        assertEquals(Optional.of(SshUser.ROOT), sshUser("#cloud-config\nusers:\n  - name: root\n    ssh_import_id: [gh:me]\n"));
        assertEquals(Optional.empty(), sshUser("#!/bin/sh\necho hi\n"));
        assertEquals(Optional.empty(), sshUser("#cloud-config\nusers: [\n"));
        assertEquals(Optional.empty(), sshUser("#cloud-config\n"));
    }

    private static Optional<SshUser> sshUser(String userData) {
        return CloudInitUserData.sshUser(CloudInitSpec.builder().userData(userData).build());
    }

    private void assertValidCloudConfig(String userData) throws Exception {
        IsoTools.require("cloud-init", "cloud-init");
        Path f = Files.createTempFile(tmp, "user-data", ".yaml");
        Files.writeString(f, userData);
        String out = IsoTools.run("cloud-init", "schema", "--config-file", f.toString());
        assertTrue(out.contains("Valid cloud-config"), out);
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
