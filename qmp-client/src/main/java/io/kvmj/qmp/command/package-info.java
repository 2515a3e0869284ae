/**
 * Typed QMP commands: each record's components are the command's arguments (hyphenated QMP names mapped with
 * {@code @JsonProperty}, {@code null} = omitted) and its type parameter is the reply type. Send them with
 * {@link io.kvmj.qmp.QmpMonitor#execute(io.kvmj.qmp.QmpCommand)} or {@code call(...)}; anything not here goes
 * through {@link io.kvmj.qmp.QmpMonitor#execute(String, com.fasterxml.jackson.databind.JsonNode)}.
 */
package io.kvmj.qmp.command;
