package io.kvmj.launcher.cloudinit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.kvmj.core.model.CloudInitSpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link CloudInitSeed}: the seed file as written, read back with bsdtar and blkid. */
class CloudInitSeedTest {
    static final String KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBjGKOr0ejQ+BMNfSU+BvOgtVAws34lBHsiviAyB0zt6 me@host";

    @TempDir
    Path dir;

    @BeforeAll
    static void tools() {
        IsoTools.require("bsdtar", "libarchive-tools");
        IsoTools.require("blkid", "util-linux");
    }

    @Test
    void writesUserDataMetaDataInACidataVolumePrivately() throws Exception {
        CloudInitSpec ci = CloudInitSeed.attach(CloudInitSpec.builder().rootSshKey(KEY).rootPasswordGenerate(true).build(),
                "my_vm", dir);
        assertEquals(dir.toAbsolutePath().resolve("cidata.iso"), ci.seed());
        assertEquals("my-vm", ci.hostname());
        WrittenSeed s = CloudInitSeed.write(ci);
        assertEquals(ci.seed(), s.iso());
        assertEquals(List.of("meta-data", "user-data"), s.files());
        assertEquals(Optional.of(SshUser.ROOT), s.sshUser());
        assertTrue(s.instanceId().matches("kvmj-[0-9a-f-]{36}"), s.instanceId());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(s.iso())));
        try (var l = Files.list(dir)) {
            assertEquals(List.of(s.iso()), l.toList(), "no temporary file left");
        }
        assertEquals(CloudInitUserData.userData(ci), read(s.iso(), "user-data"));
        var meta = new YAMLMapper().readTree(read(s.iso(), "meta-data"));
        assertEquals(s.instanceId(), meta.path("instance-id").asText());
        assertEquals("my-vm", meta.path("local-hostname").asText());
        assertTrue(read(s.iso(), "user-data").contains(ci.rootPassword()));
        String blkid = IsoTools.run("blkid", "-p", "-o", "export", s.iso().toString());
        assertTrue(blkid.contains("LABEL=cidata\n"), blkid);

        WrittenSeed again = CloudInitSeed.write(ci);
        assertNotEquals(s.instanceId(), again.instanceId(), "a fresh instance-id per seed");
    }

    @Test
    void verbatimFilesAndNetworkConfigAreCopiedByteExactly() throws Exception {
        String ud = "#cloud-config\n# from a file, ünï\nusers: [default]\n";
        String md = "instance-id: iid-local01\nlocal-hostname: cloudimg\n";
        String net = "version: 2\nethernets:\n  id0:\n    match: {name: \"en*\"}\n    dhcp4: true\n";
        CloudInitSpec ci = CloudInitSeed.attach(CloudInitSpec.builder().userData(ud).metaData(md).networkConfig(net)
                .build(), "vm", dir);
        WrittenSeed s = CloudInitSeed.write(ci);
        assertEquals(List.of("meta-data", "user-data", "network-config"), s.files());
        assertNull(s.instanceId());
        assertEquals(ud, read(s.iso(), "user-data"));
        assertEquals(md, read(s.iso(), "meta-data"));
        assertEquals(net, read(s.iso(), "network-config"));
    }

    @Test
    void givenInstanceIdIsKeptAndASeedNeedsAPath() throws Exception {
        CloudInitSpec ci = CloudInitSpec.builder().instanceId("iid-fixed").build();
        assertThrows(IllegalArgumentException.class, () -> CloudInitSeed.write(ci));
        WrittenSeed s = CloudInitSeed.write(CloudInitSeed.attach(ci, "vm", dir));
        assertEquals("iid-fixed", s.instanceId());
        assertFalse(read(s.iso(), "meta-data").contains("kvmj-"));
        assertEquals(Optional.empty(), s.sshUser());
    }

    static String read(Path iso, String name) {
        return new String(IsoTools.runBytes("bsdtar", "-xOf", iso.toString(), name), StandardCharsets.UTF_8);
    }
}
