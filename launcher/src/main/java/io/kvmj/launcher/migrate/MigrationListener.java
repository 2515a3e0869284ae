package io.kvmj.launcher.migrate;

/** Receives {@link MigrationProgress} samples (about four per second) on kvmj's migration thread. */
@FunctionalInterface
public interface MigrationListener {
    /** A listener that ignores everything. */
    MigrationListener NONE = p -> { };

    void progress(MigrationProgress progress);
}
