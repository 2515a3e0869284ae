/**
 * Renders a {@link io.kvmj.core.model.GuestSpec} into a QEMU argv ({@link io.kvmj.core.qemu.QemuCommandLine}),
 * validating it against the host ({@link io.kvmj.core.host.HostEnvironment}). All option values go through
 * {@link io.kvmj.core.qemu.QemuOpts}, the single escaper.
 */
package io.kvmj.core.qemu;
