package io.kvmj.core.model;

/** vCPU topology for {@code -smp}; {@code cpus} must equal sockets*cores*threads. */
public record SmpTopology(int cpus, int sockets, int cores, int threads) {
    public SmpTopology {
        if (cpus < 1) {
            throw new InvalidSpecException("smp.cpus", cpus, "must be at least 1");
        }
        if (sockets < 1 || cores < 1 || threads < 1) {
            throw new InvalidSpecException("smp", sockets + "/" + cores + "/" + threads, "sockets, cores and threads must be at least 1");
        }
        if ((long) sockets * cores * threads != cpus) {
            throw new InvalidSpecException("smp", cpus, "cpus must equal sockets*cores*threads (" + sockets + "*" + cores + "*" + threads + ")");
        }
    }

    /** {@code n} single-core sockets. */
    public static SmpTopology of(int cpus) { return new SmpTopology(cpus, cpus, 1, 1); }
}
