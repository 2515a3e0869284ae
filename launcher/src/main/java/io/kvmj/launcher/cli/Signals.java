package io.kvmj.launcher.cli;

import org.slf4j.LoggerFactory;

/**
 * SIGINT handling for foreground commands: Ctrl-C runs a handler (a graceful shutdown request) instead of ending
 * the JVM at once. Uses {@code sun.misc.Signal} (module jdk.unsupported); if unavailable, Ctrl-C ends the JVM and
 * the launcher's shutdown hook stops QEMU with SIGTERM.
 */
final class Signals {
    private Signals() {}

    static void onInterrupt(Runnable handler) {
        try {
            sun.misc.Signal.handle(new sun.misc.Signal("INT"), s -> handler.run());
        } catch (Throwable t) {
            LoggerFactory.getLogger(Signals.class).warn("cannot handle SIGINT ({}); Ctrl-C will SIGTERM QEMU", t.toString());
        }
    }
}
