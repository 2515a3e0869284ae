package io.kvmj.junit5;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import io.kvmj.junit5.fixtures.FailingFixture;
import io.kvmj.junit5.fixtures.LifecycleFixture;
import io.kvmj.junit5.fixtures.Observation;
import io.kvmj.junit5.fixtures.ParallelFixture;
import io.kvmj.launcher.process.Pids;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.reporting.ReportEntry;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;
import org.junit.platform.testkit.engine.EventType;

/**
 * The extension on real QEMU guests (the demo guest, TCG on this host), each fixture run in a nested Jupiter engine
 * through EngineTestKit: lifecycles, parameter injection, spec factory with overlays, parallel guests, failure
 * report and cleanup. Every guest must be gone (no process with its runtime directory in its argv) after the run.
 */
class KvmjExtensionIT {
    /** The three fixtures, run once, concurrently (the guests of different classes boot at the same time). */
    private static EngineExecutionResults results;
    private static Path base;
    private static String baseBefore;

    @BeforeAll
    static void runTheFixtures(@TempDir Path tmp) throws Exception {
        System.setProperty("kvmj.runtime.dir", "/tmp/kvmj-j5-" + ProcessHandle.current().pid());
        base = tmp.resolve("base.qcow2");
        Process p = new ProcessBuilder("qemu-img", "create", "-q", "-f", "qcow2", base.toString(), "16M")
                .redirectErrorStream(true).start();
        assertEquals(0, p.waitFor(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        baseBefore = sha256(base);
        LifecycleFixture.SEEN.clear();
        LifecycleFixture.baseDisk = base;
        ParallelFixture.SEEN.clear();
        ParallelFixture.bothBooted = new CountDownLatch(2);
        FailingFixture.SEEN.clear();
        // classes concurrently, methods of a class in order on one thread, except ParallelFixture's (CONCURRENT)
        results = EngineTestKit.engine("junit-jupiter").configurationParameters(Map.of(
                        "junit.jupiter.execution.parallel.enabled", "true",
                        "junit.jupiter.execution.parallel.mode.default", "same_thread",
                        "junit.jupiter.execution.parallel.mode.classes.default", "concurrent",
                        "junit.jupiter.execution.parallel.config.strategy", "fixed",
                        "junit.jupiter.execution.parallel.config.fixed.parallelism", "4"))
                .selectors(selectClass(LifecycleFixture.class), selectClass(ParallelFixture.class),
                        selectClass(FailingFixture.class))
                .execute();
    }

    @Test
    void classMethodAndParameterScopesWithAnOverlayedSpecDisk() throws Exception {
        assertEquals(2, finished(LifecycleFixture.class, TestExecutionResult.Status.SUCCESSFUL), failures(results));
        List<Observation> seen = new ArrayList<>(LifecycleFixture.SEEN);
        Observation class1 = find(seen, "first", "class");
        Observation class2 = find(seen, "second", "class");
        Observation method1 = find(seen, "first", "method");
        Observation method2 = find(seen, "second", "method");
        Observation param = find(seen, "second", "param");
        assertEquals(class1, new Observation("first", "class", class2.name(), class2.pid(), class2.runtimeDir()),
                "one class guest for both tests");
        assertNotEquals(method1.pid(), method2.pid(), "a guest per test method");
        assertEquals(4, seen.stream().map(Observation::name).distinct().count(), "unique names: " + seen);
        assertTrue(param.name().startsWith("second-"), param.name());
        assertGone(seen);
        assertEquals(baseBefore, sha256(base), "the base image is unchanged: the guest wrote into its overlay");
        try (Stream<Path> left = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            assertTrue(left.noneMatch(f -> f.getFileName().toString().startsWith("kvmj-junit5-" + param.name())),
                    "overlay work directory removed");
        }
    }

    @Test
    void parallelTestsBootTheirGuestsConcurrently() {
        assertEquals(2, finished(ParallelFixture.class, TestExecutionResult.Status.SUCCESSFUL), failures(results));
        List<Observation> seen = new ArrayList<>(ParallelFixture.SEEN);
        assertEquals(2, seen.stream().map(Observation::name).distinct().count(), seen.toString());
        assertGone(seen);
    }

    @Test
    void aFailingTestReportsTheConsoleAndLeavesNoQemu() {
        EngineExecutionResults r = results;
        assertEquals(1, finished(FailingFixture.class, TestExecutionResult.Status.FAILED), failures(r));
        Event failed = r.testEvents().failed().stream()
                .filter(e -> e.getTestDescriptor().getUniqueId().toString().contains(FailingFixture.class.getName()))
                .findFirst().orElseThrow();
        assertEquals("deliberate failure", failed.getPayload(TestExecutionResult.class).orElseThrow()
                .getThrowable().orElseThrow().getMessage());
        List<Observation> seen = new ArrayList<>(FailingFixture.SEEN);
        Observation guest = find(seen, "beforeAll", "param");
        assertEquals(guest.pid(), find(seen, "failsAfterPrinting", "class").pid(), "@BeforeAll guest is per class");
        List<ReportEntry> entries = r.testEvents().stream()
                .filter(e -> e.getType() == EventType.REPORTING_ENTRY_PUBLISHED)
                .filter(e -> e.getTestDescriptor().getUniqueId().equals(failed.getTestDescriptor().getUniqueId()))
                .map(e -> e.getPayload(ReportEntry.class).orElseThrow()).toList();
        String console = entries.stream().map(e -> e.getKeyValuePairs().get("kvmj." + guest.name() + ".console"))
                .filter(v -> v != null).findFirst()
                .orElseThrow(() -> new AssertionError("no console entry: " + entries + "\n" + failures(r)));
        assertTrue(console.contains(FailingFixture.MARKER + "-42"), "the console shows what the guest printed: "
                + console);
        assertTrue(console.contains(DemoImage.READY), console);
        assertTrue(entries.stream().anyMatch(e -> e.getKeyValuePairs().containsKey("kvmj." + guest.name() + ".stderr")),
                entries.toString());
        assertGone(seen);
    }

    /** How many tests of {@code fixture} finished with {@code status}. */
    private static long finished(Class<?> fixture, TestExecutionResult.Status status) {
        return results.testEvents().finished().stream()
                .filter(e -> e.getTestDescriptor().getUniqueId().toString().contains("[class:" + fixture.getName() + "]"))
                .filter(e -> e.getPayload(TestExecutionResult.class).orElseThrow().getStatus() == status).count();
    }

    private static Observation find(List<Observation> seen, String test, String role) {
        return seen.stream().filter(o -> o.test().equals(test) && o.role().equals(role)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + role + " guest in " + test + ": " + seen));
    }

    /** No QEMU left: pid dead, runtime dir removed, no process with the runtime dir in its argv. */
    private static void assertGone(List<Observation> seen) {
        Set<Path> dirs = seen.stream().map(Observation::runtimeDir).collect(Collectors.toSet());
        for (Observation o : seen) {
            assertFalse(Pids.alive(o.pid()), "QEMU of " + o.name() + " still runs");
            assertFalse(Files.exists(o.runtimeDir()), o.runtimeDir() + " removed");
        }
        List<String> left = new ArrayList<>();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            procs.filter(d -> d.getFileName().toString().chars().allMatch(Character::isDigit)).forEach(d -> {
                try {
                    String argv = new String(Files.readAllBytes(d.resolve("cmdline")), StandardCharsets.UTF_8);
                    if (dirs.stream().anyMatch(dir -> argv.contains(dir.toString()))) {
                        left.add(d.getFileName() + ": " + argv.replace('\0', ' '));
                    }
                } catch (IOException gone) {
                    // the process ended meanwhile
                }
            });
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        assertEquals(List.of(), left, "processes with a guest's runtime directory in their argv");
    }

    private static String failures(EngineExecutionResults r) {
        StringBuilder b = new StringBuilder();
        r.allEvents().stream().filter(e -> e.getType() == EventType.FINISHED)
                .forEach(e -> e.getPayload(TestExecutionResult.class).flatMap(TestExecutionResult::getThrowable)
                        .ifPresent(t -> b.append(e.getTestDescriptor().getDisplayName()).append(": ")
                                .append(stackTrace(t)).append('\n')));
        r.allEvents().skipped().stream().forEach(e -> b.append("skipped ").append(e.getTestDescriptor()
                .getDisplayName()).append(": ").append(e.getPayload(String.class).orElse("")).append('\n'));
        return b.toString();
    }

    private static String stackTrace(Throwable t) {
        java.io.StringWriter w = new java.io.StringWriter();
        t.printStackTrace(new java.io.PrintWriter(w));
        return w.toString();
    }

    private static String sha256(Path f) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(f)));
    }
}
