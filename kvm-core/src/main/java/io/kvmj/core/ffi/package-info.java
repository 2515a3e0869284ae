/**
 * A small FFI layer over libc with two interchangeable backends (jnr-ffi, the default, and JNA direct
 * mapping), selected by the system property {@code kvmj.ffi=jnr|jna}. Fixed-signature calls only (no varargs), so an
 * {@code ioctl} costs one native transition.
 */
package io.kvmj.core.ffi;
