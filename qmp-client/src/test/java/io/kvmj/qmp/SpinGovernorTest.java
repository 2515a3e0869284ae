package io.kvmj.qmp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The spin back-off: uncovered waits skip 1, 2, 4, ... up to 64 spins; a covered one restores spinning. */
class SpinGovernorTest {

    @Test
    void spinsWhileSpinningPays() {
        SpinGovernor g = new SpinGovernor(1000);
        for (int i = 0; i < 10; i++) {
            assertEquals(1000, g.budget());
            g.spun(true);
        }
    }

    @Test
    void backsOffExponentiallyAndRecovers() {
        SpinGovernor g = new SpinGovernor(1000);
        for (int expected : new int[] {1, 2, 4, 8, 16, 32, 64, 64}) {
            assertEquals(1000, g.budget());
            g.spun(false);
            int skipped = 0;
            while (g.budget() == 0) {
                skipped++;
            }
            assertEquals(expected, skipped);
        }
        g.spun(true);
        assertEquals(1000, g.budget());
        g.spun(false);
        assertEquals(0, g.budget());
        assertEquals(1000, g.budget());
    }

    @Test
    void zeroBudgetNeverSpins() {
        SpinGovernor g = new SpinGovernor(0);
        assertEquals(0, g.budget());
    }
}
