package io.kvmj.junit5;

import io.kvmj.core.model.CloudInitSpec;
import io.kvmj.core.model.DiskBus;
import io.kvmj.core.model.DiskFormat;
import io.kvmj.core.model.DiskSpec;
import io.kvmj.core.model.GuestSpec;
import io.kvmj.core.model.MachineType;
import io.kvmj.core.model.NicSpec;
import io.kvmj.launcher.osimage.BuildListener;
import io.kvmj.launcher.osimage.DebianImages;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The {@link GuestImage#DEBIAN_12} guest: the cached Debian 12 base of {@code io.kvmj.launcher.osimage}
 * ({@code DebianImages.cachedBase(BuildListener.NONE)}, built on first use: minutes, needs root) used through a
 * qcow2 overlay ({@link DiskOverlays}), with a cloud-init seed setting the hostname to the guest name and root's
 * password to {@value #ROOT_PASSWORD}; ready when the serial login prompt appears.
 */
public final class Debian12Image {
    /** Root's password in the booted guest (set by cloud-init; a test VM, not a secret). */
    public static final String ROOT_PASSWORD = "kvmj-test";
    /** Guest memory. */
    public static final int MEMORY_MIB = 1024;

    private Debian12Image() {}

    /** True: the launcher this module is built against has the Debian image builder. */
    public static boolean available() {
        return true;
    }

    /**
     * The cached base disk (raw), built first if missing.
     *
     * @throws IllegalStateException when the build fails (e.g. not root, tools missing)
     */
    public static Path baseDisk() {
        try {
            return DebianImages.cachedBase(BuildListener.NONE).disk();
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("cannot get the Debian 12 base image: " + e.getMessage(), e);
        }
    }

    /**
     * The Debian 12 guest on {@code baseDisk} (attached as written; the extension puts an overlay in front): q35,
     * 2 vCPUs, {@value #MEMORY_MIB} MiB, virtio disk, user-mode NIC, cloud-init seed (hostname {@code name}, root
     * password {@value #ROOT_PASSWORD}).
     */
    public static GuestSpec spec(String name, Path baseDisk) {
        return GuestSpec.builder(name)
                .machine(MachineType.Q35)
                .cpus(2)
                .memoryMiB(MEMORY_MIB)
                .disk(DiskSpec.file("root", baseDisk).format(DiskFormat.RAW).bus(DiskBus.VIRTIO_BLK).build())
                .nic(NicSpec.user("net0"))
                .cloudInit(CloudInitSpec.builder().hostname(name).rootPassword(ROOT_PASSWORD).build())
                .build();
    }

    /** The console regex that says the guest is ready: the serial login prompt of host {@code name}. */
    public static String readyPattern(String name) {
        return java.util.regex.Pattern.quote(name + " login:");
    }
}
