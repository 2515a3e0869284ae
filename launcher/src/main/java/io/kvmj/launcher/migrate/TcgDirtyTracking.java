package io.kvmj.launcher.migrate;

import io.kvmj.core.model.Accelerator;
import io.kvmj.core.model.GuestSpec;

/**
 * kvmj's workaround for a QEMU bug that corrupts TCG guests that move: before QEMU 9.0 (commit 03bfc2188f,
 * "physmem: Fix migration dirty bitmap coherency with TCG memory access"; Debian 12's 7.2.22 lacks it), the fast
 * path of the dirty-bitmap sync clears a RAM block's dirty bits 64 pages at a time without resetting the TCG TLB
 * entries that let vCPUs write those pages without marking them dirty again. Writes after a sync are then never
 * resent: the destination runs with stale copies of pages the guest was writing (kernel stacks, slab), and the
 * guest crashes or hangs after the move. Post-copy shows it most (kvmj's tests saw up to ~45% of post-copy moves of a
 * 2-vCPU guest crash), pre-copy too. The slow path, which does reset the TLBs, is taken for a RAM block whose length
 * is not a multiple of 64 pages (256 KiB): so a TCG guest that can move gets 8 KiB more RAM
 * ({@link io.kvmj.core.model.MemorySpec#padKiB}, {@code -m size=1048584K} for 1 GiB), which took post-copy moves
 * that failed 7 times in 17 to none.
 *
 * <p>Applied at launch, with the board pinning ({@link MachinePinning}), to a guest that may run under TCG
 * ({@code tcg} or {@code auto}) with a plain {@code -m} and is being pinned now; the padding is recorded with the spec
 * ({@code spec.json}, save files), so a destination started from it gets the same size. It depends neither on the QEMU
 * version nor on what {@code auto} resolves to on this host, so two kvmj hosts agree on the size. A spec already
 * pinned (a recorded one) keeps what it has.
 *
 * <pre>{@code
 * GuestSpec pinned = MachinePinning.pin(qemu, spec);
 * GuestSpec ready = TcgDirtyTracking.apply(spec, pinned);  // memory 1024 MiB + 8 KiB
 * }</pre>
 */
public final class TcgDirtyTracking {
    /** The padding: QEMU rounds {@code -m} up to 8 KiB, so this is the smallest size off the 256 KiB grid. */
    public static final int PAD_KIB = 8;

    private TcgDirtyTracking() {
    }

    /**
     * {@code pinned} with {@link #PAD_KIB} added to its memory when {@code requested} was not yet pinned, the pinning
     * made it migratable, it may run under TCG (not {@code kvm}) and its memory is a plain {@code -m} without padding;
     * else {@code pinned}.
     */
    public static GuestSpec apply(GuestSpec requested, GuestSpec pinned) {
        if (requested.machineVersion() != null || pinned.machineVersion() == null
                || pinned.accelerator() == Accelerator.KVM
                || !pinned.memory().plain() || pinned.memory().padKiB() != 0) {
            return pinned;
        }
        return pinned.toBuilder().memory(pinned.memory().withPadKiB(PAD_KIB)).build();
    }

    /** Whether {@code spec} may run under TCG and moves without the padding: its live migration can lose writes. */
    public static boolean exposed(GuestSpec spec) {
        return spec.accelerator() != Accelerator.KVM && spec.memory().padKiB() == 0;
    }
}
