/**
 * Live block operations on a running guest over QMP: external snapshots, live resize, block-commit,
 * block-stream and backups, run as QEMU jobs to completion with progress. Entry point: {@link io.kvmj.launcher.storage.LiveStorage}.
 */
package io.kvmj.launcher.storage;
