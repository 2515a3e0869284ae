package io.kvmj.launcher.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** {@link Pids} on this host's processes. */
class PidsTest {
    @Test
    void selfIsThisProcessAndAlive() {
        assertEquals(ProcessHandle.current().pid(), Pids.self());
        assertTrue(Pids.alive(Pids.self()));
    }
}
