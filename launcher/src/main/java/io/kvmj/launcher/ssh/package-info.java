/**
 * ssh into guests: the forwarded port, the user, the identity and host-key pinning ({@link io.kvmj.launcher.ssh.SshAccess}).
 */
package io.kvmj.launcher.ssh;
