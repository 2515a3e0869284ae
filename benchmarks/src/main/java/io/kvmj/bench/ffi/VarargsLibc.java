package io.kvmj.bench.ffi;

import com.sun.jna.Library;
import com.sun.jna.Native;

/**
 * libc through a JNA <em>interface-mapped varargs</em> {@code ioctl}: the convenient but slow way, measured
 * only to show why kvmj uses direct mapping with fixed {@code (int,long,long)} signatures.
 */
public interface VarargsLibc extends Library {

    /** The loaded library. */
    VarargsLibc INSTANCE = Native.load("c", VarargsLibc.class);

    int open(String path, int flags);

    int ioctl(int fd, long request, Object... args);

    int close(int fd);
}
