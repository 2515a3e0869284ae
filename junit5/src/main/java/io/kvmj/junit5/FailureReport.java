package io.kvmj.junit5;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * What a failing test gets about the guests it used: for each guest, report entries
 * {@code kvmj.<guest>.console} (last {@value ManagedGuest#REPORT_LINES} console lines) and
 * {@code kvmj.<guest>.stderr} (QEMU's stderr tail), published through JUnit ({@link ExtensionContext#publishReportEntry});
 * the same text is written to the test's standard error, which Maven surefire and failsafe keep in their reports
 * ({@code TEST-*.xml} {@code system-err}, {@code -output.txt} with {@code redirectTestOutputToFile}). This is a
 * report of the test, not logging; the library otherwise logs only through SLF4J.
 */
final class FailureReport {
    private FailureReport() {}

    static void publish(ExtensionContext context, List<ManagedGuest> guests, Throwable failure) {
        if (guests.isEmpty()) {
            return;
        }
        StringBuilder err = new StringBuilder();
        for (ManagedGuest g : guests) {
            String name = g.guest().name();
            String console = g.consoleTail();
            String stderr = g.guest().stderrTail();
            Map<String, String> entry = new LinkedHashMap<>();
            // JUnit refuses blank report values
            entry.put("kvmj." + name + ".console", console.isBlank() ? "(no console output)" : console);
            entry.put("kvmj." + name + ".stderr", stderr.isBlank() ? "(no stderr output)" : stderr);
            try {
                context.publishReportEntry(entry);
            } catch (RuntimeException e) {
                err.append("--- kvmj: could not publish the report entry: ").append(e).append('\n');
            }
            err.append("--- kvmj: ").append(context.getDisplayName()).append(" failed (")
                    .append(failure.getClass().getSimpleName()).append("); guest ").append(name).append(" (")
                    .append(g.declaration()).append(", pid ").append(g.guest().pid()).append(", ")
                    .append(g.guest().accelerator().accelerator()).append(", state ").append(g.guest().state())
                    .append(") console, last ").append(ManagedGuest.REPORT_LINES).append(" lines ---\n")
                    .append(console).append(console.endsWith("\n") || console.isEmpty() ? "" : "\n")
                    .append("--- kvmj: guest ").append(name).append(" QEMU stderr ---\n").append(stderr)
                    .append(stderr.endsWith("\n") || stderr.isEmpty() ? "" : "\n")
                    .append("--- kvmj: end of guest ").append(name).append(" ---\n");
        }
        PrintStream testErr = System.err; // the failing test's own report channel, see the class comment
        testErr.print(err);
        testErr.flush();
    }
}
