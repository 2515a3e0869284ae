package io.kvmj.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code info usernet} as QEMU 7.2 prints it (captured from qemu-system-x86_64 7.2 with two hostfwd rules, port 0). */
class UserNetForwardsTest {
    static final String QEMU_7_2 = "Hub -1 (n0):\r\n"
            + "  Protocol[State]    FD  Source Address  Port   Dest. Address  Port RecvQ SendQ\r\n"
            + "  TCP[HOST_FORWARD]   9       127.0.0.1 38467       10.0.2.15    22     0     0\r\n"
            + "  TCP[HOST_FORWARD]   8       127.0.0.1 45939       10.0.2.15    80     0     0\r\n"
            + "  UDP[236 sec]       12        10.0.2.15 68       10.0.2.2    67     0     0\r\n";

    @Test
    void readsTheBoundHostPorts() {
        List<UserNetForwards.Forward> f = UserNetForwards.parse(QEMU_7_2);
        assertEquals(List.of(new UserNetForwards.Forward("tcp", "127.0.0.1", 38467, "10.0.2.15", 22),
                new UserNetForwards.Forward("tcp", "127.0.0.1", 45939, "10.0.2.15", 80)), f);
    }

    @Test
    void nothingBoundIsEmpty() {
        assertTrue(UserNetForwards.parse("Hub -1 (n0):\r\n  Protocol[State]    FD  Source Address  Port\r\n").isEmpty());
    }
}
