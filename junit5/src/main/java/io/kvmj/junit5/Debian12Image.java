package io.kvmj.junit5;

import io.kvmj.core.model.CloudInitSpec;
import io.kvmj.core.model.DiskBus;
import io.kvmj.core.model.DiskFormat;
import io.kvmj.core.model.DiskSpec;
import io.kvmj.core.model.GuestSpec;
import io.kvmj.core.model.MachineType;
import io.kvmj.core.model.NicSpec;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Path;

/**
 * The {@link GuestImage#DEBIAN_12} guest: the cached Debian 12 base of {@code io.kvmj.launcher.osimage}
 * ({@code DebianImages.cachedBase(BuildListener.NONE)}, built on first use: minutes, needs root) used through a
 * qcow2 overlay ({@link DiskOverlays}), with a cloud-init seed setting the hostname to the guest name and root's
 * password to {@value #ROOT_PASSWORD}; ready when the serial login prompt appears.
 *
 * <p>The osimage package is looked up at run time ({@link #available()}), so this module builds against a
 * launcher with or without it; without it, {@link #baseDisk()} fails with a message saying what is missing.
 */
public final class Debian12Image {
    /** Root's password in the booted guest (set by cloud-init; a test VM, not a secret). */
    public static final String ROOT_PASSWORD = "kvmj-test";
    /** Guest memory. */
    public static final int MEMORY_MIB = 1024;
    static final String IMAGES_CLASS = "io.kvmj.launcher.osimage.DebianImages";
    static final String LISTENER_CLASS = "io.kvmj.launcher.osimage.BuildListener";

    private Debian12Image() {}

    /** True when the launcher on the class path has the Debian image builder ({@value #IMAGES_CLASS}). */
    public static boolean available() {
        try {
            Class.forName(IMAGES_CLASS, false, Debian12Image.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    /**
     * The cached base disk (raw), built first if missing.
     *
     * @throws IllegalStateException when the launcher has no osimage package, or the build fails
     */
    public static Path baseDisk() {
        if (!available()) {
            throw new IllegalStateException("@KvmjGuest(image = DEBIAN_12) needs the Debian image builder ("
                    + IMAGES_CLASS + "), which the kvmj launcher on the class path does not have; use a kvmj "
                    + "release with io.kvmj.launcher.osimage, or pass your own image with @KvmjGuest(spec = ...)");
        }
        try {
            ClassLoader cl = Debian12Image.class.getClassLoader();
            Class<?> listenerType = Class.forName(LISTENER_CLASS, true, cl);
            Object none = listenerType.getField("NONE").get(null);
            Method cachedBase = Class.forName(IMAGES_CLASS, true, cl).getMethod("cachedBase", listenerType);
            Object base = cachedBase.invoke(null, none);
            return (Path) base.getClass().getMethod("disk").invoke(base);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            throw new IllegalStateException("cannot get the Debian 12 base image: " + cause.getMessage(), cause);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("the Debian image builder (" + IMAGES_CLASS + ") has an unexpected API: "
                    + e, e);
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
