package io.kvmj.launcher.process;

import io.kvmj.launcher.Guest;
import io.kvmj.launcher.LaunchOptions;
import io.kvmj.launcher.Launcher;
import java.util.List;

/**
 * Main class run in a child JVM by {@link OrphanIT}: launches a {@code -machine none} guest through the
 * {@link Launcher} API from a short-lived thread, waits until that thread is gone, checks QEMU is still alive,
 * prints {@code READY <pid> <protection>}, then sleeps until it is killed. Args: QEMU binary, guest name.
 */
public final class OrphanChild {
    private OrphanChild() {}

    public static void main(String[] args) throws Exception {
        Guest[] holder = new Guest[1];
        Thread t = new Thread(() -> holder[0] = Launcher.create(LaunchOptions.defaults().withQemuBinary(args[0]))
                .launchArgv(args[1], List.of("-machine", "none", "-nodefaults", "-display", "none")));
        t.start();
        t.join();
        Thread.sleep(300);
        if (holder[0] == null || !holder[0].isAlive()) {
            System.out.println("DIED " + (holder[0] == null ? "launch failed" : holder[0].stderrTail()));
            System.exit(3);
        }
        System.out.println("READY " + holder[0].pid() + " " + holder[0].orphanProtection());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
