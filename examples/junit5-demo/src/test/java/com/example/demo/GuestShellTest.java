package com.example.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvmj.junit5.GuestShell;
import io.kvmj.junit5.KvmjGuest;
import io.kvmj.launcher.Guest;
import org.junit.jupiter.api.Test;

/** Boots the kvmj demo guest once for this class and talks to its shell over the serial console. */
class GuestShellTest {
    @KvmjGuest
    static Guest guest;

    @Test
    void theGuestRunsLinux() {
        GuestShell sh = GuestShell.of(guest);
        assertEquals("Linux", sh.run("uname -s").strip());
        assertEquals(6, Integer.parseInt(sh.run("echo $((2*3))").strip()));
    }

    @Test
    void exitCodesComeBack() {
        assertEquals(3, GuestShell.of(guest).exec("(exit 3)").exitCode());
        assertTrue(guest.isAlive());
    }
}
