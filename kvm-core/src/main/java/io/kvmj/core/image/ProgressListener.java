package io.kvmj.core.image;

/** Receives progress of a long qemu-img operation, in percent (0 to 100, non-decreasing). */
@FunctionalInterface
public interface ProgressListener {
    /** A listener that ignores progress. */
    ProgressListener NONE = percent -> { };

    void progress(double percent);
}
