/** The versioned JSON form of a guest spec ({@code kvmjSpecVersion} 1): {@link io.kvmj.core.spec.GuestSpecJson}. */
package io.kvmj.core.spec;
