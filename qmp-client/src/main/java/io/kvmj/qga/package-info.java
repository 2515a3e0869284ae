/**
 * kvmj client of the QEMU guest agent ({@code qemu-ga}): {@link io.kvmj.qga.QgaClient} talks to the agent over
 * the host end of its virtio-serial channel. Failures are {@link io.kvmj.qga.QgaException}s; replies are records
 * in {@link io.kvmj.qga.model}.
 */
package io.kvmj.qga;
