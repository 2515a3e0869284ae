package io.kvmj.bench.disk;

import io.kvmj.core.ffi.NativeAccess;

/** Picks the {@link PosixIo} implementation: the project's FFI, backend chosen by {@code -Dkvmj.ffi}. */
public final class PosixIos {

    private PosixIos() {
    }

    /** The project's FFI, {@link NativeAccess#get()}. */
    public static PosixIo get() {
        return new ProjectPosixIo(NativeAccess.get());
    }
}
