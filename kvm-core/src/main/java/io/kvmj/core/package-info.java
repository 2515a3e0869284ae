/** kvmj kvm-core. */
package io.kvmj.core;
