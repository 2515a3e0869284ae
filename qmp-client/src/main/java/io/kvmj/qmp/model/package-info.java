/** Reply records of the typed QMP commands, named after QEMU's QAPI types; unknown fields are ignored. */
package io.kvmj.qmp.model;
