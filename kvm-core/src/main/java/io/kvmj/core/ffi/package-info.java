/**
 * A small FFI layer over libc with two interchangeable backends (JNA direct mapping and jnr-ffi), selected
 * by the system property {@code kvmj.ffi=jna|jnr}. Fixed-signature calls only (no varargs), so an
 * {@code ioctl} costs one native transition.
 */
package io.kvmj.core.ffi;
