/** kvmj guest specs to and from libvirt domain XML: {@link io.kvmj.core.libvirt.DomainXml}. */
package io.kvmj.core.libvirt;
