/**
 * kvmj QMP client. {@link io.kvmj.qmp.QmpMonitor} is the transport-independent session interface;
 * {@link io.kvmj.qmp.QmpClient} implements it with Netty (Unix socket or TCP) and
 * {@link io.kvmj.qmp.QmpListener} lets QEMU connect to us. Failures are {@link io.kvmj.qmp.QmpException}s.
 */
package io.kvmj.qmp;
