package io.kvmj.qmp;

/**
 * Spins only while spinning pays. A wait that the spin budget did not cover (the reply, or the next message,
 * came later) means the machine is slower than the budget, typically because QEMU and the spinning threads
 * share too few CPUs: then the next waits skip spinning (1, 2, 4, ... up to {@value #MAX_SKIP} of them) before
 * one tries again; a covered wait resets the back-off. On an idle machine nothing changes; on a loaded one the
 * client stops taking CPU time from the QEMU it waits for.
 *
 * <p>Not synchronised on purpose: a lost update only makes one wait spin, or not, once more.
 */
final class SpinGovernor {
    static final int MAX_SKIP = 64;
    private final long budgetNanos;
    private int skip;
    private int backoff;

    SpinGovernor(long budgetNanos) {
        this.budgetNanos = Math.max(0, budgetNanos);
    }

    /** The spin budget for the next wait: the configured one, or zero while backing off. */
    long budget() {
        if (skip > 0) {
            skip--;
            return 0;
        }
        return budgetNanos;
    }

    /** The outcome of a wait that spun: {@code covered} when the awaited thing arrived while spinning. */
    void spun(boolean covered) {
        if (covered) {
            backoff = 0;
        } else {
            backoff = backoff == 0 ? 1 : Math.min(MAX_SKIP, backoff * 2);
            skip = backoff;
        }
    }
}
