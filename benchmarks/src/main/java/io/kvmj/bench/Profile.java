package io.kvmj.bench;

import java.util.Locale;

/**
 * How thorough a run is. {@code QUICK} finishes in under ~10 minutes on 2 cores (few forks and short
 * iterations, small files, few guest boots); {@code FULL} is thorough.
 *
 * @param name              profile name
 * @param forks             JMH forks per benchmark
 * @param warmupIterations  JMH warm-up iterations
 * @param warmupSeconds     seconds per warm-up iteration
 * @param iterations        JMH measurement iterations
 * @param iterationSeconds  seconds per measurement iteration
 * @param cRepetitions      repetitions of the raw C loop (median taken)
 * @param fioSeconds        runtime of each fio job
 * @param hostFileMiB       size of the preallocated host test file
 * @param imageGiB          size of the qemu-img create images
 * @param imageRepetitions  repetitions per qemu-img create mode (median taken)
 * @param guestDdMiB        MiB written/read by each dd inside the guest
 * @param bootRepetitions   boots per launch variant (median taken)
 */
public record Profile(String name, int forks, int warmupIterations, int warmupSeconds, int iterations,
                      int iterationSeconds, int cRepetitions, int fioSeconds, int hostFileMiB, int imageGiB,
                      int imageRepetitions, int guestDdMiB, int bootRepetitions) {

    /** Quick profile: under ~10 minutes on 2 cores. */
    public static final Profile QUICK = new Profile("quick", 1, 2, 1, 4, 1, 5, 3, 256, 1, 3, 64, 2);
    /** Full profile: thorough, tens of minutes. */
    public static final Profile FULL = new Profile("full", 3, 3, 2, 5, 2, 15, 10, 1024, 10, 3, 128, 5);

    /** Looks a profile up by name. */
    public static Profile of(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "quick" -> QUICK;
            case "full" -> FULL;
            default -> throw new IllegalArgumentException("unknown profile '" + name + "' (expected quick or full)");
        };
    }
}
