package io.kvmj.launcher.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** {@code kvmj -c/--connect URI}: refused where there is no libvirt form, help still works, the URI reaches libvirt. */
class ConnectOptionTest {
    @Test
    void commandsWithoutALibvirtFormRefuseConnect() {
        for (String[] args : new String[][] {{"-c", "qemu:///system", "img", "info", "/dev/null"}, {"-c", "qemu:///system", "export", "vm1", "--format", "libvirt"}}) {
            InProcessCli.Run r = InProcessCli.run(args);
            assertEquals(2, r.exit(), String.join(" ", args) + ": " + r);
            assertTrue(r.err().contains("--connect is not supported here"), r.err());
        }
    }

    @Test
    void helpAndBadUsageStillAnswer() {
        InProcessCli.Run help = InProcessCli.run("-c", "qemu:///system", "stop", "--help");
        assertEquals(0, help.exit(), help.toString());
        InProcessCli.Run empty = InProcessCli.run("--connect", " ", "list");
        assertEquals(2, empty.exit(), empty.toString());
        InProcessCli.Run root = InProcessCli.run("--help");
        assertTrue(root.out().contains("--connect"), root.out());
        InProcessCli.Run qmp = InProcessCli.run("-c", "qemu:///system", "qmp", "--socket", "/x", "query-status");
        assertEquals(2, qmp.exit(), qmp.toString());
        assertTrue(qmp.err().contains("--socket is not available with --connect"), qmp.err());
        InProcessCli.Run run = InProcessCli.run("-c", "qemu:///system", "run", "--name", "a", "--qemu-arg", "-S");
        assertEquals(2, run.exit(), run.toString());
        assertTrue(run.err().contains("--qemu-arg is not available with --connect"), run.err());
        InProcessCli.Run replay = InProcessCli.run("-c", "qemu:///system", "console", "vm1", "--replay");
        assertEquals(2, replay.exit(), replay.toString());
        assertTrue(replay.err().contains("--replay is not available with --connect"), replay.err());
        for (String o : new String[] {"--name=x", "--qemu=/bin/true", "--timeout=5"}) {
            InProcessCli.Run restore = InProcessCli.run("-c", "qemu:///system", "restore", "/nonexistent.save", o, "--json");
            assertEquals(2, restore.exit(), o + ": " + restore);
            assertTrue(restore.err().contains(o.substring(0, o.indexOf('=')) + " is not available with --connect"),
                    restore.err());
            assertTrue(restore.out().contains("\"error\""), "--json: the error object: " + restore.out());
        }
        InProcessCli.Run node = InProcessCli.run("-c", "qemu:///system", "disk", "snapshot", "vm1", "vda", "--node", "n1");
        assertEquals(2, node.exit(), node.toString());
        assertTrue(node.err().contains("--node is not available with --connect"), node.err());
        InProcessCli.Run speed = InProcessCli.run("-c", "qemu:///system", "disk", "commit", "vm1", "vda", "--speed", "1M");
        assertEquals(2, speed.exit(), speed.toString());
        assertTrue(speed.err().contains("--speed is not available with --connect"), speed.err());
        InProcessCli.Run rel = InProcessCli.run("-c", "qemu+ssh://h/system", "disk", "snapshot", "vm1", "vda", "--file", "o.qcow2");
        assertEquals(2, rel.exit(), rel.toString());
        assertTrue(rel.err().contains("absolute path on the daemon's host"), rel.err());
        // a relative FILE has no meaning on another host: refused before libvirt is reached
        InProcessCli.Run save = InProcessCli.run("-c", "qemu+ssh://h/system", "save", "vm1", "vm1.save");
        assertEquals(2, save.exit(), save.toString());
        assertTrue(save.err().contains("absolute path on the daemon's host"), save.err());
        // a daemon on this host: kvmj save does not overwrite, kvmj restore needs the file (checked before libvirt)
        InProcessCli.Run exists = InProcessCli.run("-c", "qemu:///system", "save", "vm1", "/etc/hostname", "--json");
        assertEquals(2, exists.exit(), exists.toString());
        assertTrue(exists.err().contains("/etc/hostname exists; kvmj save does not overwrite"), exists.err());
        assertTrue(exists.out().contains("\"error\""), exists.out());
        InProcessCli.Run missing = InProcessCli.run("-c", "qemu:///system", "restore", "/nonexistent.save");
        assertEquals(2, missing.exit(), missing.toString());
        assertTrue(missing.err().contains("no such file: /nonexistent.save"), missing.err());
    }

    @Test
    void diskAttachOptionsWithNoLibvirtFormAreRefusedBeforeLibvirtIsReached() throws Exception {
        java.nio.file.Path img = java.nio.file.Files.createTempFile("kvmj-connect-", ".raw");
        try {
            String p = "path=" + img;
            String[][] refused = {{p + ",size=1", "size= is not available with --connect"},
                {p + ",disposable=on", "disposable= is not available with --connect"},
                {p + ",aio=native", "aio= is not available with --connect"},
                {p + ",wwn=0x5000c500deadbe01", "wwn= is not available with --connect"},
                {p + ",bus=scsi", "bus=scsi is not available with --connect"},
                {p + ",cache=unsafe", "cache=unsafe is not available with --connect"},
                {"path=/nonexistent.raw", "no such image file: /nonexistent.raw"}};
            for (String[] r : refused) {
                InProcessCli.Run run = InProcessCli.run("-c", "qemu:///system", "disk", "attach", "vm1", r[0]);
                assertEquals(2, run.exit(), r[0] + ": " + run);
                assertEquals(1, run.err().strip().lines().count(), "one line: " + run);
                assertTrue(run.err().contains(r[1]), run.err());
            }
            InProcessCli.Run json = InProcessCli.run("-c", "qemu:///system", "disk", "attach", "vm1", p + ",size=1", "--json");
            assertEquals(2, json.exit(), json.toString());
            assertTrue(json.out().contains("\"error\""), "--json: the error object: " + json.out());
            InProcessCli.Run rel = InProcessCli.run("-c", "qemu+ssh://h/system", "disk", "attach", "vm1", "path=d.raw");
            assertEquals(2, rel.exit(), rel.toString());
            assertTrue(rel.err().contains("absolute path on the daemon's host"), rel.err());
            InProcessCli.Run noFormat = InProcessCli.run("-c", "qemu+ssh://h/system", "disk", "attach", "vm1", "/vm/d.raw");
            assertEquals(2, noFormat.exit(), noFormat.toString());
            assertTrue(noFormat.err().contains("give format=qcow2|raw"), noFormat.err());
        } finally {
            java.nio.file.Files.delete(img);
        }
    }

    @Test
    void diskBackupOptionsWithNoLibvirtFormAnExistingTargetAndARemoteUriAreRefused() {
        String[][] refused = {{"qemu:///system", "/tmp/kvmj-never.qcow2", "--speed", "1M", "--speed is not available"},
            {"qemu:///system", "/tmp/kvmj-never.qcow2", "--qemu-img", "/bin/true", "--qemu-img is not available"},
            {"qemu:///system", "/etc/hostname", "--format", "raw", "/etc/hostname already exists; refusing to overwrite"},
            {"qemu+ssh://h/system", "/tmp/kvmj-never.qcow2", "--format", "raw", "a remote --connect URI is not supported"}};
        for (String[] r : refused) {
            InProcessCli.Run run = InProcessCli.run("-c", r[0], "disk", "backup", "vm1", "vda", r[1], r[2], r[3]);
            assertEquals(2, run.exit(), String.join(" ", r) + ": " + run);
            assertEquals(1, run.err().strip().lines().count(), "one line: " + run);
            assertTrue(run.err().contains(r[4]), run.err());
        }
        InProcessCli.Run json = InProcessCli.run("-c", "qemu:///system", "disk", "backup", "vm1", "vda", "/etc/hostname",
                "--json");
        assertEquals(2, json.exit(), json.toString());
        assertTrue(json.out().contains("\"error\""), "--json: the error object: " + json.out());
        // past the guards: it reaches libvirt, whose error for an unknown driver is exit 1
        InProcessCli.Run past = InProcessCli.run("-c", "nosuchdriver:///x", "disk", "backup", "vm1", "vda",
                "/tmp/kvmj-never.qcow2");
        assertEquals(1, past.exit(), past.toString());
        assertTrue(past.err().contains("cannot connect to libvirt at nosuchdriver:///x"), past.err());
    }

    @Test
    void diskResizeAttachDetachHaveALibvirtForm() throws Exception {
        // past the --connect guard: they reach libvirt, whose error for an unknown driver is exit 1
        java.nio.file.Path img = java.nio.file.Files.createTempFile("kvmj-connect-", ".raw");
        for (String[] args : new String[][] {{"disk", "resize", "vm1", "vda", "+1G"}, {"disk", "detach", "vm1", "vdb"},
            {"disk", "attach", "vm1", "path=" + img + ",format=raw"}}) {
            String[] a = new String[args.length + 2];
            a[0] = "-c";
            a[1] = "nosuchdriver:///x";
            System.arraycopy(args, 0, a, 2, args.length);
            InProcessCli.Run r = InProcessCli.run(a);
            assertEquals(1, r.exit(), String.join(" ", args) + ": " + r);
            assertTrue(r.err().contains("cannot connect to libvirt at nosuchdriver:///x"), r.err());
        }
        java.nio.file.Files.delete(img);
    }

    @Test
    void aUriLibvirtHasNoDriverForIsItsError() {
        // libvirt itself parses the URI: an unknown scheme is its "no connection driver" error, exit 1
        InProcessCli.Run r = InProcessCli.run("-c", "nosuchdriver:///x", "list");
        assertEquals(1, r.exit(), r.toString());
        assertTrue(r.err().contains("cannot connect to libvirt at nosuchdriver:///x"), r.err());
    }
}
