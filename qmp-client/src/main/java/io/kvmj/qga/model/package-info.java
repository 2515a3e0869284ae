/**
 * Reply and request records of the guest agent client ({@link io.kvmj.qga.QgaClient}), named after the agent's
 * QAPI types; unknown fields are ignored, absent optional fields are {@code null}.
 */
package io.kvmj.qga.model;
