/**
 * Where guests run, behind one interface: {@link io.kvmj.launcher.backend.GuestBackend#local()} (this host's kvmj
 * launcher) or {@link io.kvmj.launcher.backend.GuestBackend#connect(String)} (a libvirt daemon, local or remote by
 * URI, through libvirt-java). The {@code kvmj -c/--connect URI} commands use the libvirt one; without it the CLI
 * keeps its own local path.
 */
package io.kvmj.launcher.backend;
