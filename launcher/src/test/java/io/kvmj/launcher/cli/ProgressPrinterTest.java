package io.kvmj.launcher.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class ProgressPrinterTest {
    @Test
    void terminalRedrawsOneLineAndEndsIt() {
        StringWriter s = new StringWriter();
        ProgressPrinter p = new ProgressPrinter(new PrintWriter(s), true, "converting");
        for (double v : new double[] {0, 12.5, 50, 100}) {
            p.progress(v);
        }
        String out = s.toString();
        assertEquals(4, out.chars().filter(c -> c == '\r').count(), out);
        assertEquals(1, out.chars().filter(c -> c == '\n').count(), "one redrawn line: " + out);
        assertTrue(out.contains("[" + "#".repeat(20) + " ".repeat(20) + "]  50.0%"), out);
        assertTrue(out.endsWith("100.0%" + System.lineSeparator()), out);
    }

    @Test
    void plainOutputPrintsEachTenPercentStepOnce() {
        StringWriter s = new StringWriter();
        ProgressPrinter p = new ProgressPrinter(new PrintWriter(s), false, "x");
        for (int i = 0; i <= 100; i++) {
            p.progress(i);
        }
        assertEquals(11, s.toString().lines().count(), s.toString());
        assertTrue(s.toString().lines().allMatch(l -> l.matches("x: \\d+%")), s.toString());
    }
}
