package io.kvmj.core.model;

/** Network backend: user-mode (slirp), tap or bridge (via qemu-bridge-helper). */
public enum NetKind { USER, TAP, BRIDGE }
