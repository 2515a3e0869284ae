package io.kvmj.launcher.process;

/** How a spawned QEMU process is tied to the life of the JVM that spawned it. */
public enum OrphanProtection {
    /**
     * util-linux {@code setpriv --pdeathsig KILL} sets the kernel parent-death signal in the child before it
     * execs QEMU: QEMU gets SIGKILL when the spawning thread dies, including on SIGKILL of the JVM. A JVM
     * shutdown hook additionally stops QEMU with SIGTERM (graceful for QEMU) on a normal JVM exit.
     */
    PDEATHSIG,
    /** setpriv was not found: only the JVM shutdown hook stops QEMU; a SIGKILLed JVM leaves QEMU running. */
    SHUTDOWN_HOOK_ONLY,
    /** Deliberately detached (for example {@code kvmj run --detach}): QEMU outlives the JVM. */
    DETACHED
}
