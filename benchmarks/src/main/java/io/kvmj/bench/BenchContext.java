package io.kvmj.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every suite gets: the profile, the output and scratch directories, a JMH runner that writes
 * one JSON file per suite, and a place for notes (skips, failures, caveats).
 */
public final class BenchContext {

    private static final Logger LOG = LoggerFactory.getLogger(BenchContext.class);

    private final Profile profile;
    private final Path outDir;
    private final Path workDir;
    private final List<String> notes = new ArrayList<>();
    private final List<Path> jmhFiles = new ArrayList<>();

    public BenchContext(Profile profile, Path outDir, Path workDir) {
        this.profile = profile;
        this.outDir = outDir;
        this.workDir = workDir;
    }

    public Profile profile() {
        return profile;
    }

    public Path outDir() {
        return outDir;
    }

    /** Scratch directory on a real disk (O_DIRECT capable), not tmpfs. */
    public Path workDir() {
        return workDir;
    }

    /** Records a note for the report (and logs it). */
    public void note(String text) {
        LOG.warn(text);
        notes.add(text);
    }

    public List<String> notes() {
        return List.copyOf(notes);
    }

    /** JMH JSON files written so far. */
    public List<Path> jmhFiles() {
        return List.copyOf(jmhFiles);
    }

    /**
     * Runs the JMH benchmarks whose names match {@code includeRegex} with the profile's forks and
     * iterations, then {@code customize}, and writes {@code jmh-<file>.json}.
     *
     * @param file         suffix of the JSON file name
     * @param includeRegex JMH include pattern
     * @param sysProps     system properties passed to the forked JVMs
     * @param customize    suite-specific option changes (mode, time unit, params)
     */
    public Collection<RunResult> runJmh(String file, String includeRegex, Map<String, String> sysProps,
                                        UnaryOperator<ChainedOptionsBuilder> customize) throws RunnerException {
        Path json = outDir.resolve("jmh-" + file + ".json");
        List<String> jvmArgs = new ArrayList<>(List.of("-Xms128m", "-Xmx512m", "-Djava.awt.headless=true",
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"));
        sysProps.forEach((k, v) -> jvmArgs.add("-D" + k + "=" + v));
        ChainedOptionsBuilder b = new OptionsBuilder()
                .include(includeRegex)
                .forks(profile.forks())
                .warmupIterations(profile.warmupIterations())
                .warmupTime(TimeValue.seconds(profile.warmupSeconds()))
                .measurementIterations(profile.iterations())
                .measurementTime(TimeValue.seconds(profile.iterationSeconds()))
                .threads(1)
                .shouldFailOnError(false)
                .jvmArgsAppend(jvmArgs.toArray(String[]::new))
                .resultFormat(ResultFormatType.JSON)
                .result(json.toString());
        b = customize.apply(b);
        Collection<RunResult> results = new Runner(b.build()).run();
        if (Files.exists(json)) {
            jmhFiles.add(json);
        }
        return results;
    }

    /** Creates (if needed) and returns a sub-directory of the scratch directory. */
    public Path workSubdir(String name) throws IOException {
        return Files.createDirectories(workDir.resolve(name));
    }
}
