/** Typed, immutable description of a QEMU guest: records, enums and builders. Rendering lives in {@code io.kvmj.core.qemu}. */
package io.kvmj.core.model;
