package io.kvmj.launcher.backend;

/**
 * A guest as a {@link GuestBackend} lists it.
 *
 * @param name       guest (domain) name
 * @param state      run state in QEMU's words where they exist: {@code running}, {@code paused}, {@code prelaunch}
 *                   (local), libvirt's {@code shutoff}, {@code shutdown}, {@code crashed}, {@code pmsuspended},
 *                   {@code blocked}; {@code unknown} when it cannot be told
 * @param vcpus      vCPUs (0 when unknown)
 * @param memoryMiB  memory in MiB (0 when unknown)
 * @param pid        QEMU's process id on this host (local backend), else {@code null}
 * @param id         libvirt's domain id while it runs (-1 when shut off), {@code null} for the local backend
 * @param uuid       libvirt's domain UUID, {@code null} for the local backend
 * @param persistent libvirt keeps the domain defined when it stops ({@code false} for the local backend)
 */
public record BackendGuest(String name, String state, int vcpus, long memoryMiB, Long pid, Integer id, String uuid,
                           boolean persistent) {
    /** Running or paused: a QEMU process exists. */
    public boolean active() {
        return !state.equals("shutoff") && !state.equals("exited") && !state.equals("crashed");
    }
}
