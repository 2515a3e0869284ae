package io.kvmj.launcher.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/** Parsing of {@code kvmj disk ...} (no guest needed; the operations are covered by {@code DiskCliIT}). */
class DiskCommandTest {
    @Test
    void timeoutIsInheritedBySubcommands() {
        CommandLine cl = Main.commandLine();
        ParseResult r = cl.parseArgs("disk", "resize", "vm1", "disk0", "+1G", "--timeout", "7", "--shrink");
        List<CommandLine> cmds = r.asCommandLineList();
        DiskResizeCommand resize = (DiskResizeCommand) cmds.get(cmds.size() - 1).getCommand();
        assertEquals(7, resize.disk.parent.timeout, "--timeout after the subcommand reaches the disk command");
        assertEquals(new SizeChange(1, io.kvmj.core.image.ByteSize.ofGiB(1)), resize.size);
        assertTrue(resize.shrink);
    }

    @Test
    void unknownGuestIsExitOneBadArgumentsExitTwo(@TempDir Path runtime) {
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setErr(new PrintWriter(err));
        System.setProperty("kvmj.runtime.dir", runtime.toString());
        try {
            assertEquals(1, cl.execute("disk", "list", "no-such-guest"));
            assertTrue(err.toString().contains("no running guest named 'no-such-guest' (no guests are running)"),
                err.toString());
            // bad arguments are usage errors before any guest is looked up
            assertEquals(2, cl.execute("disk", "resize", "no-such-guest", "disk0", "ten"));
            assertTrue(err.toString().contains("not a size: 'ten'"), err.toString());
            assertEquals(2, cl.execute("disk", "backup", "no-such-guest", "disk0", "/tmp/x.vmdk", "--format", "vmdk"));
            assertTrue(err.toString().contains("must be qcow2 or raw, not 'vmdk'"), err.toString());
            assertEquals(2, cl.execute("disk", "snapshot", "no-such-guest", "disk0", "--node", "9x"));
            assertTrue(err.toString().contains("'9x' is not a valid QEMU node name"), err.toString());
            assertEquals(2, cl.execute("disk", "commit", "no-such-guest"), "DRIVE missing");
        } finally {
            System.clearProperty("kvmj.runtime.dir");
        }
    }
}
