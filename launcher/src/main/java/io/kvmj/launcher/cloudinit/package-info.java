/**
 * Cloud-init NoCloud seeds for guests kvmj launches (virt-install's {@code --cloud-init}): the user-data and
 * meta-data generated from an {@link io.kvmj.core.model.CloudInitSpec} ({@link io.kvmj.launcher.cloudinit.CloudInitUserData}),
 * the ISO 9660 + Rock Ridge + Joliet image labelled {@code cidata} ({@link io.kvmj.launcher.cloudinit.Iso9660Writer}),
 * and the entry point the launcher calls ({@link io.kvmj.launcher.cloudinit.CloudInitSeed}).
 */
package io.kvmj.launcher.cloudinit;
