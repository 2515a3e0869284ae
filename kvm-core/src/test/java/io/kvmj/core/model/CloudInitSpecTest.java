package io.kvmj.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvmj.core.qemu.QemuCommand;
import io.kvmj.core.qemu.QemuCommandLine;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@link CloudInitSpec}: validation, password generation, redaction, and its rendering as a read-only CD-ROM. */
class CloudInitSpecTest {
    static final String KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBjGKOr0ejQ+BMNfSU+BvOgtVAws34lBHsiviAyB0zt6 me@host";
    static final String RSA = "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQC7 \"quoted\" comment: with # and ünï";

    @Test
    void publicKeyLinesDropBlankAndCommentLines() {
        CloudInitSpec ci = CloudInitSpec.builder().rootSshKey("# mine\n" + KEY + "\n\n" + RSA + "\r\n").build();
        assertEquals(List.of(KEY, RSA), ci.rootSshKeys());
        CloudInitSpec opts = CloudInitSpec.builder()
                .clouduserSshKey("from=\"10.0.0.1\",no-pty " + KEY + "\nsk-ssh-ed25519@openssh.com AAAAGnNr me\n").build();
        assertEquals(2, opts.clouduserSshKeys().size());
    }

    @Test
    void privateKeysAndNonKeysAreRefused() {
        InvalidSpecException e = assertThrows(InvalidSpecException.class, () -> CloudInitSpec.builder()
                .rootSshKey("-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----\n")
                .build());
        assertTrue(e.getMessage().contains("private key"), e.getMessage());
        assertFalse(e.getMessage().contains("b3BlbnNzaC1rZXktdjEAAAAA"), "never echoes key material");
        assertThrows(InvalidSpecException.class, () -> CloudInitSpec.builder().rootSshKey("hello world").build());
        assertThrows(InvalidSpecException.class, () -> new CloudInitSpec(List.of(KEY + "\n" + KEY), null, null, false,
                false, null, null, null, null, null, null));
    }

    @Test
    void generatedPasswordIsFreshSixteenAlphanumericsAndNeverPrinted() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 50; i++) {
            CloudInitSpec ci = CloudInitSpec.builder().rootPasswordGenerate(true).build();
            assertTrue(ci.rootPassword().matches("[A-Za-z0-9]{16}"), ci.rootPassword());
            assertTrue(ci.rootPasswordGenerated());
            assertTrue(seen.add(ci.rootPassword()));
            assertFalse(ci.toString().contains(ci.rootPassword()), ci.toString());
            GuestSpec g = GuestSpec.builder("vm").cloudInit(ci).build();
            assertFalse(g.toString().contains(ci.rootPassword()), "GuestSpec.toString shows no password");
        }
        CloudInitSpec.Builder b = CloudInitSpec.builder().rootPasswordGenerate(true);
        assertEquals(b.build().rootPassword(), b.build().rootPassword(), "one builder, one password");
        CloudInitSpec given = CloudInitSpec.builder().rootPassword("s3cret: \"x\"").build();
        assertFalse(given.rootPasswordGenerated());
        assertFalse(given.toString().contains("s3cret"));
        assertThrows(InvalidSpecException.class, () -> CloudInitSpec.builder().rootPassword("a\nb").build());
        assertThrows(InvalidSpecException.class, () -> CloudInitSpec.builder().rootPassword("").build());
    }

    @Test
    void hostnamesAndInstanceIdsAreChecked() {
        assertEquals("web-01.example.org", CloudInitSpec.builder().hostname("web-01.example.org").build().hostname());
        for (String bad : List.of("-x", "a_b", "a..b", "x".repeat(64), "a b")) {
            assertThrows(InvalidSpecException.class, () -> CloudInitSpec.builder().hostname(bad).build(), bad);
        }
        assertThrows(InvalidSpecException.class, () -> CloudInitSpec.builder().instanceId("a b").build());
        assertThrows(InvalidSpecException.class, () -> CloudInitSpec.builder().instanceId("x\n").build());
        assertEquals("i-0123:abc", CloudInitSpec.builder().instanceId("i-0123:abc").build().instanceId());
        assertEquals("my-vm-1", CloudInitSpec.hostnameFor("My_VM_1"));
        assertEquals("vm.2", CloudInitSpec.hostnameFor("vm.2"));
        assertEquals("kvmj-guest", CloudInitSpec.hostnameFor("___"));
        assertEquals(63, CloudInitSpec.hostnameFor("a".repeat(64)).length());
        CloudInitSpec ci = CloudInitSpec.builder().build();
        assertEquals("my-vm", ci.withDefaultHostname("my_vm").hostname());
        CloudInitSpec named = CloudInitSpec.builder().hostname("h1").build();
        assertSame(named, named.withDefaultHostname("other"));
    }

    @Test
    void verbatimFilesMakeTheirOptionsIgnoredAsInVirtInstall() {
        CloudInitSpec ci = CloudInitSpec.builder().rootSshKey(KEY).rootPasswordGenerate(true).disable(true)
                .userData("#cloud-config\n").build();
        assertEquals(List.of("root-ssh-key", "root-password-generate", "disable"), ci.ignoredOptions());
        assertEquals(List.of(), CloudInitSpec.builder().rootSshKey(KEY).build().ignoredOptions());
        assertEquals(List.of("hostname"), CloudInitSpec.builder().hostname("h").metaData("instance-id: x\n").build()
                .ignoredOptions());
    }

    @Test
    void theSeedRendersAsAReadOnlyCdromBeforeTheFileExists() {
        Path seed = Path.of("/run/kvmj-test/vm1/cidata.iso");
        GuestSpec spec = GuestSpec.builder("vm1")
                .cloudInit(CloudInitSpec.builder().rootSshKey(KEY).build().withSeed(seed)).build();
        QemuCommand cmd = QemuCommandLine.renderDefault(spec);
        List<String> a = cmd.args();
        assertTrue(a.contains("driver=file,node-name=cidata-file,filename=/run/kvmj-test/vm1/cidata.iso,read-only=on"), a.toString());
        assertTrue(a.contains("driver=raw,node-name=cidata-fmt,file=cidata-file,read-only=on"), a.toString());
        assertTrue(a.contains("virtio-scsi-pci,id=cidata-scsi") && a.contains("scsi-cd,bus=cidata-scsi.0,id=cidata,drive=cidata-fmt"),
                a.toString());
        // not attached until the launcher gives it a place; refused where there is no IDE/AHCI
        assertFalse(QemuCommandLine.renderDefault(GuestSpec.builder("vm1").cloudInit(CloudInitSpec.builder().build())
                .build()).args().toString().contains("cidata"));
        assertThrows(InvalidSpecException.class, () -> QemuCommandLine.renderDefault(spec.toBuilder()
                .machine(MachineType.MICROVM).build()));
        assertThrows(InvalidSpecException.class, () -> CloudInitSpec.builder().seed(Path.of("rel.iso")).build());
        assertNull(GuestSpec.builder("x").build().cloudInit());
        assertEquals(spec.cloudInit(), spec.toBuilder().build().cloudInit(), "toBuilder keeps it");
    }
}
