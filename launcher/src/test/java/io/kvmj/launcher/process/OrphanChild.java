package io.kvmj.launcher.process;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Main class run in a child JVM by {@link OrphanIT}: starts QEMU ({@code -machine none}) from a short-lived
 * thread, waits until that thread is gone, checks QEMU is still alive, prints {@code READY <pid>}, then sleeps
 * until it is killed.
 */
public final class OrphanChild {
    private OrphanChild() {}

    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory("kvmj-orphan");
        QemuProcess[] holder = new QemuProcess[1];
        Thread t = new Thread(() -> holder[0] = QemuProcess.start(List.of(args[0], "-machine", "none", "-nodefaults",
                "-display", "none"), dir.resolve("err"), false, Duration.ofSeconds(10)));
        t.start();
        t.join();
        Thread.sleep(300);
        if (!holder[0].isAlive()) {
            System.out.println("DIED " + holder[0].stderrTail());
            System.exit(3);
        }
        System.out.println("READY " + holder[0].pid() + " " + holder[0].protection());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
