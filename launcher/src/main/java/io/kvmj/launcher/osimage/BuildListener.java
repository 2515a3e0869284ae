package io.kvmj.launcher.osimage;

import java.time.Duration;

/** Progress of a build, phase by phase (e.g. for the CLI's display). All methods default to doing nothing. */
public interface BuildListener {
    /** A listener that ignores everything. */
    BuildListener NONE = new BuildListener() { };

    /** A phase starts, e.g. {@code installing packages (mmdebstrap)}. */
    default void phaseStarted(String phase) { }

    /** The phase ended after {@code elapsed}. */
    default void phaseDone(String phase, Duration elapsed) { }

    /** An informational line (e.g. which cached base is used). */
    default void info(String line) { }
}
