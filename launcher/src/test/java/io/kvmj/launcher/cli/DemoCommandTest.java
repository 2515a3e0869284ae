package io.kvmj.launcher.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class DemoCommandTest {
    @Test
    void missingKernelIsAOneLineErrorWithExitCode2() {
        CommandLine cl = Main.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute("demo", "--kernel", "/nonexistent");
        assertEquals(2, code);
        assertEquals("kvmj demo: kernel file not found: /nonexistent (given with --kernel)", err.toString().strip());
        assertFalse(err.toString().contains("Exception"));
        assertEquals("", out.toString());
    }

    @Test
    void nonPositiveTimeoutIsAUsageError() {
        CommandLine cl = Main.commandLine();
        StringWriter err = new StringWriter();
        cl.setErr(new PrintWriter(err));
        assertEquals(2, cl.execute("demo", "--timeout", "0"));
        assertEquals(true, err.toString().contains("--timeout must be positive"));
    }
}
