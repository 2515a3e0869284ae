/** kvmj qmp-client. */
package io.kvmj.qmp;
