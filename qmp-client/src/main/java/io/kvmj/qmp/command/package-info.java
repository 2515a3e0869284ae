/**
 * Typed QMP commands: each record's components are the command's arguments (hyphenated QMP names mapped with
 * {@code @JsonProperty}, {@code null} = omitted) and its type parameter is the reply type
 * ({@link io.kvmj.qmp.model}). Send them with {@link io.kvmj.qmp.QmpMonitor#execute(io.kvmj.qmp.QmpCommand)} or
 * {@code call(...)}; anything not here goes through
 * {@link io.kvmj.qmp.QmpMonitor#execute(String, com.fasterxml.jackson.databind.JsonNode)}:
 *
 * <pre>{@code
 * qmp.call(BlockResize.node("disk0-fmt", 2L << 30));
 * List<BlockDeviceInfo> nodes = qmp.call(QueryNamedBlockNodes.flatNodes());
 * JsonNode anything = qmp.call("query-cpus-fast", null);
 * }</pre>
 *
 * <h2>Which commands have a record, and why they are hand-written</h2>
 * A record exists only for a command kvmj itself sends (block jobs and drives in the launcher's storage code, the
 * launch and shutdown path, {@code device_del}); main code builds no QMP arguments or parses no replies by hand where
 * a record exists. A command nobody sends has no record: add one together with the code that first sends it.
 * Every record is proven against the schema of a real QEMU by {@code QmpTypedCommandsIT}: the command exists, each
 * argument the record can send is one QEMU accepts, each argument QEMU requires is a component, each reply field is
 * one QEMU reports, and a primitive (never-null) reply field is one QEMU always sends. A record without a sample in
 * that test fails it.
 *
 * <p>The records are not generated from QEMU's QAPI schema. {@code query-qmp-schema} (which
 * {@link io.kvmj.qmp.QmpSchema} reads at run time) hides the names of object types behind numbers and carries no
 * documentation, so a generator would need QEMU's {@code qapi/*.json} sources of one fixed QEMU version, a code
 * generator in the build, and would still emit hundreds of commands kvmj never sends. About twenty small records,
 * each checked against the running QEMU's own schema, keep one source of truth (QEMU's schema) without that
 * machinery; the replies stay tolerant of newer QEMUs (unknown fields are ignored).
 */
package io.kvmj.qmp.command;
