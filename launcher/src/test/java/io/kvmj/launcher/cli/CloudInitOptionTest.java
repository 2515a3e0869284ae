package io.kvmj.launcher.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvmj.core.model.CloudInitSpec;
import io.kvmj.launcher.process.RuntimeDir;
import io.kvmj.launcher.testutil.TestRuntime;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --cloud-init}: the option parser, and {@code kvmj run --dry-run} with it (exit codes, one-line errors). */
class CloudInitOptionTest {
    static final String KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBjGKOr0ejQ+BMNfSU+BvOgtVAws34lBHsiviAyB0zt6 me@host";

    @TempDir
    Path tmp;

    @BeforeAll
    static void runtime() {
        TestRuntime.use();
    }

    @Test
    void bareOptionIsGeneratedPasswordAndDisableAsInVirtInstall() {
        CloudInitSpec ci = CloudInitOption.parse("");
        assertTrue(ci.rootPasswordGenerated());
        assertTrue(ci.rootPassword().matches("[A-Za-z0-9]{16}"));
        assertTrue(ci.disable());
        assertTrue(ci.rootSshKeys().isEmpty());
    }

    @Test
    void allKeysReadTheirFiles() throws Exception {
        Path pub = Files.writeString(tmp.resolve("id,1.pub"), "# comment\n" + KEY + "\n");
        Path pw = Files.writeString(tmp.resolve("pw"), "s3cret word\nsecond line ignored\n");
        Path ud = Files.writeString(tmp.resolve("ud"), "#cloud-config\n{}\n");
        Path md = Files.writeString(tmp.resolve("md"), "instance-id: a\n");
        Path net = Files.writeString(tmp.resolve("net"), "version: 2\n");
        CloudInitSpec ci = CloudInitOption.parse("ssh-key=" + pub.toString().replace(",", ",,")
                + ",clouduser-ssh-key=" + pub.toString().replace(",", ",,") + ",root-password-file=" + pw
                + ",disable=on,user-data=" + ud + ",meta-data=" + md + ",network-config=" + net
                + ",hostname=web-1,instance-id=iid-1");
        assertEquals(List.of(KEY), ci.rootSshKeys());
        assertEquals(List.of(KEY), ci.clouduserSshKeys());
        assertEquals("s3cret word", ci.rootPassword(), "first line only, as virt-install");
        assertFalse(ci.rootPasswordGenerated());
        assertTrue(ci.disable());
        assertEquals("#cloud-config\n{}\n", ci.userData());
        assertEquals("instance-id: a\n", ci.metaData());
        assertEquals("version: 2\n", ci.networkConfig());
        assertEquals("web-1", ci.hostname());
        assertEquals("iid-1", ci.instanceId());
        assertNull(ci.seed());
        assertEquals(List.of(KEY), CloudInitOption.parse("root-ssh-key=" + tmp.resolve("id,,1.pub")).rootSshKeys());
        assertFalse(CloudInitOption.parse("ssh-key=" + tmp.resolve("id,,1.pub")).rootPasswordGenerated());
    }

    @Test
    void badInputIsOneLineNamingTheKey() throws Exception {
        Path priv = Files.writeString(tmp.resolve("id"), "-----BEGIN OPENSSH PRIVATE KEY-----\nAAAA\n-----END OPENSSH PRIVATE KEY-----\n");
        Path empty = Files.writeString(tmp.resolve("empty"), "\n");
        Path bin = Files.write(tmp.resolve("ud.gz"), new byte[] {0x1f, (byte) 0x8b, 8, 0, (byte) 0xff, (byte) 0xfe});
        Path pub = Files.writeString(tmp.resolve("k.pub"), KEY);
        assertError("unknown key 'sshkey'", "sshkey=" + pub);
        assertError("ssh-key: no such file: /no/such.pub", "ssh-key=/no/such.pub");
        assertError("user-data: no such file", "user-data=" + tmp.resolve("missing"));
        assertError("is a private key", "ssh-key=" + priv);
        assertError("holds no public key", "clouduser-ssh-key=" + empty);
        assertError("is not UTF-8 text", "user-data=" + bin);
        assertError("first line of", "root-password-file=" + empty);
        assertError("same key", "ssh-key=" + pub + ",root-ssh-key=" + pub);
        assertError("exclude each other", "root-password-file=" + pub + ",root-password-generate=on");
        assertError("is not on/off", "disable=maybe");
        assertError("is a directory", "meta-data=" + tmp);
        assertError("cloudInit.hostname", "hostname=bad_name");
        assertError("given twice", "disable=on,disable=off");
    }

    private static void assertError(String expected, String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CloudInitOption.parse(text), text);
        assertTrue(e.getMessage().startsWith("--cloud-init: "), e.getMessage());
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
    }

    @Test
    void dryRunShowsTheSeedInTheRuntimeDirectoryAndWritesNothing() throws Exception {
        Path pub = Files.writeString(tmp.resolve("k.pub"), KEY);
        InProcessCli.Run r = kvmj("run", "--name", "ci-dry", "--accel", "tcg", "--dry-run", "--cloud-init", "ssh-key=" + pub);
        assertEquals(0, r.exit(), r.err());
        Path seed = RuntimeDir.locate("ci-dry").path().toAbsolutePath().resolve("cidata.iso");
        assertTrue(r.out().contains("driver=file,node-name=cidata-file,filename=" + seed + ",read-only=on"), r.out());
        assertTrue(r.out().contains("scsi-cd,bus=cidata-scsi.0,id=cidata,drive=cidata-fmt"), r.out());
        assertFalse(Files.exists(seed.getParent()), "a dry run claims and writes nothing");
        assertFalse(r.err().contains("password"), r.err());

        InProcessCli.Run bare = kvmj("run", "--name", "ci-dry", "--accel", "tcg", "--dry-run", "--cloud-init");
        assertEquals(0, bare.exit(), bare.err());
        assertTrue(bare.out().contains("cidata.iso"), bare.out());
        assertFalse(bare.err().contains("password"), "the generated password is shown at launch only: " + bare.err());

        Path ud = Files.writeString(tmp.resolve("ud"), "#cloud-config\n{}\n");
        InProcessCli.Run ignored = kvmj("run", "--name", "ci-dry", "--accel", "tcg", "--dry-run", "--cloud-init",
                "user-data=" + ud + ",ssh-key=" + pub);
        assertEquals(0, ignored.exit(), ignored.err());
        assertTrue(ignored.err().contains("warning: --cloud-init: root-ssh-key ignored"), ignored.err());
    }

    @Test
    void cliErrorsExitTwoWithOneLine() {
        InProcessCli.Run missing = kvmj("run", "--name", "ci-dry", "--dry-run", "--cloud-init", "ssh-key=/no/such.pub");
        assertEquals(2, missing.exit());
        assertEquals("kvmj run: --cloud-init: ssh-key: no such file: /no/such.pub", missing.err().strip());
        InProcessCli.Run unknown = kvmj("run", "--name", "ci-dry", "--dry-run", "--cloud-init", "password=x");
        assertEquals(2, unknown.exit());
        assertEquals(1, unknown.err().strip().lines().count(), unknown.err());
        assertTrue(unknown.err().contains("unknown key 'password'"), unknown.err());
        InProcessCli.Run microvm = kvmj("run", "--name", "ci-dry", "--machine", "microvm", "--accel", "tcg", "--dry-run",
                "--cloud-init");
        assertEquals(2, microvm.exit(), microvm.err());
        assertTrue(microvm.err().startsWith("kvmj run: --cloud-init ") && microvm.err().contains("microvm"), microvm.err());
    }


    static InProcessCli.Run kvmj(String... args) {
        return InProcessCli.run(args);
    }
}
