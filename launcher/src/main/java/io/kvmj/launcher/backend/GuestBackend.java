package io.kvmj.launcher.backend;

import com.fasterxml.jackson.databind.JsonNode;
import io.kvmj.core.image.ImageFormat;
import io.kvmj.core.model.DiskSpec;
import io.kvmj.core.model.GuestSpec;
import io.kvmj.launcher.ShutdownResult;
import io.kvmj.qmp.QmpEventListener;
import io.kvmj.qmp.QmpSubscription;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Where guests run, with the same guest-level operations on each: this host's kvmj ({@link #local()}, the
 * launcher and its runtime directories) or a libvirt daemon ({@link #connect(String)}, on this host or on another
 * one through a URI such as {@code qemu+ssh://root@host2/system}).
 *
 * <pre>{@code
 * try (GuestBackend b = GuestBackend.connect("qemu:///system")) {      // or GuestBackend.local()
 *     b.start(spec, note -> System.err.println("note: " + note));
 *     JsonNode status = b.qmp("vm1", "query-status", null, Duration.ofSeconds(5));
 *     ShutdownResult r = b.stop("vm1", Duration.ofSeconds(30), false); // ACPI, guest agent, then hard
 * }
 * }</pre>
 *
 * <p>What {@code kvmj [-c URI] events|console|save|restore|disk list|snapshot|commit|resize|attach|detach|backup}
 * do, with the same meaning on both backends:
 *
 * <pre>{@code
 * try (GuestBackend b = GuestBackend.connect(uri);
 *      QmpSubscription ev = b.events("vm1", e -> System.out.println(e.name() + " " + e.data()));
 *      BackendConsole con = b.console("vm1", bytes -> System.out.write(bytes, 0, bytes.length))) {
 *     con.send("sync\n");
 *     BackendDisk vda = b.diskSnapshot("vm1", "vda", Path.of("/vm/vda-snap1.qcow2"), false); // now on the overlay
 *     b.diskCommit("vm1", "vda", null);                         // back onto the image below
 *     BackendDisk data = b.diskAttach("vm1", DiskSpec.file("data", Path.of("/vm/data.qcow2"))
 *             .format(DiskFormat.QCOW2).build());               // hot-plugged: local disk1, libvirt vdb
 *     b.diskResize("vm1", data.drive(), 16L << 30, false);      // grown to 16 GiB; the guest sees it
 *     b.diskDetach("vm1", data.drive(), Duration.ofSeconds(30)); // gone once the guest released it
 *     b.diskBackup("vm1", "vda", Path.of("/vm/vda-backup.qcow2"), ImageFormat.QCOW2, Duration.ofHours(1));
 *     b.save("vm1", Path.of("/vm/vm1.save"));                  // stopped; an open console ends
 *     b.restore(Path.of("/vm/vm1.save"));                      // running again where it was
 * }
 * }</pre>
 *
 * <p>Paths are paths on the guest's host (for a remote libvirt URI, the daemon's host). The local backend's save file
 * is kvmj's format, libvirt's is libvirt's: a file restores on the backend that wrote it.
 *
 * <p>Failures: {@link io.kvmj.launcher.GuestException} (no such guest, the backend refused or failed),
 * {@link io.kvmj.qmp.QmpErrorException} (QEMU answered a QMP command with an error),
 * {@link io.kvmj.core.libvirt.LibvirtRefusedException} (libvirt cannot run the spec as kvmj would).
 */
public interface GuestBackend extends AutoCloseable {
    /** kvmj on this host. */
    static GuestBackend local() {
        return new LocalBackend();
    }

    /**
     * A libvirt daemon, as {@code virsh -c URI} reaches it ({@code qemu:///system},
     * {@code qemu+ssh://user@host/system}, {@code qemu:///system?socket=/path}); the URI goes to libvirt unchanged.
     */
    static GuestBackend connect(String uri) {
        return LibvirtBackend.connectWithEvents(uri); // libvirt's event loop first: events() needs it
    }

    /** {@code "local"}, or the libvirt URI. */
    String uri();

    /**
     * Starts {@code spec} in the background (it keeps running after this JVM); with {@link GuestSpec#startPaused()}
     * its vCPUs stay stopped. {@code notes} receives what the backend does differently from the spec (libvirt's
     * export notes), one line each.
     */
    BackendGuest start(GuestSpec spec, Consumer<String> notes);

    /** The guests of this backend (libvirt: every domain, running or defined). */
    List<BackendGuest> list();

    /** The named guest; {@link io.kvmj.launcher.GuestException} when there is none. */
    BackendGuest require(String name);

    /** One QMP command; its {@code return} value. */
    JsonNode qmp(String name, String command, JsonNode arguments, Duration timeout);

    /** One guest-agent command ({@code guest-ping}, {@code guest-info}, ...); its {@code return} value. */
    JsonNode agent(String name, String command, JsonNode arguments, Duration timeout);

    /**
     * The shutdown ladder: ACPI power button (up to {@code timeout}), the guest agent's shutdown (up to
     * {@code timeout}), then a hard stop; {@code force} goes to the hard stop at once.
     */
    ShutdownResult stop(String name, Duration timeout, boolean force);

    /** The kvmj spec of a guest (local: the one it was launched from; libvirt: its domain XML imported). */
    Optional<GuestSpec> spec(String name);

    /**
     * Subscribes {@code listener} to the running guest's QMP events (each {@code event}, {@code data} and
     * {@code timestamp} as {@code kvmj events} prints them; local: kvmj's events socket, libvirt: its QEMU monitor
     * event callbacks). Listeners run on one event thread; closing the subscription ends it.
     */
    QmpSubscription events(String name, QmpEventListener listener);

    /**
     * Attaches to the running guest's serial console (local: kvmj's console socket; libvirt: its console stream, as
     * {@code virsh console}); guest output goes to {@code output} on a daemon thread.
     *
     * @throws ConsoleBusyException another client holds the console
     */
    BackendConsole console(String name, Consumer<byte[]> output);

    /**
     * {@code kvmj save}: the running guest's state (memory, devices) into {@code file}, which must not exist; the
     * guest stops (libvirt keeps the domain defined). Disks are not copied. Blocks until done.
     */
    void save(String name, Path file);

    /** {@code kvmj restore}: starts the guest saved in {@code file} where it left off, under its saved name. */
    BackendGuest restore(Path file);

    /** {@code kvmj disk list}: the running guest's disks with their backing chains. */
    List<BackendDisk> disks(String name);

    /**
     * {@code kvmj disk snapshot}: an external snapshot of disk {@code drive} (see {@link BackendDisk#drive()}): a new
     * qcow2 {@code overlay} (must not exist) backed by the current active image becomes the active layer; with
     * {@code quiesce} the guest agent freezes the guest's filesystems around it. Returns the disk as it is after.
     */
    BackendDisk diskSnapshot(String name, String drive, Path overlay, boolean quiesce);

    /**
     * {@code kvmj disk commit}: an active commit of disk {@code drive}'s active layer into {@code base} (a backing
     * file of its chain; null: the image directly below), after which the guest runs on {@code base}. Returns the
     * disk as it is after. An interrupt cancels the job (the disk stays on its active layer).
     *
     * @throws IllegalArgumentException {@code base} is not a backing file of the disk
     */
    BackendDisk diskCommit(String name, String drive, String base) throws InterruptedException;

    /**
     * {@code kvmj disk resize}: disk {@code drive}'s active layer to {@code size} bytes (local: {@code block_resize};
     * libvirt: {@code virDomainBlockResize} BYTES); the guest sees the new capacity at once.
     *
     * @throws IllegalArgumentException {@code size} is smaller than now and {@code shrink} is false
     *                                  ({@link BackendResize#refuseShrink}); nothing changed
     */
    BackendResize diskResize(String name, String drive, long size, boolean shrink);

    /**
     * {@code kvmj disk attach}: hot-plugs {@code disk} (an image file; its format, cache mode, read-only, serial) into
     * the running guest as a virtio-blk disk, under a drive name the backend chooses ({@code disk.id()} is replaced;
     * local: the first free {@code diskN}, recorded in the guest's spec; libvirt: the first free target dev
     * {@code vdX}, live only ({@code virDomainAttachDeviceFlags} LIVE), the persistent definition is not changed).
     * Returns the attached disk.
     *
     * @throws IllegalArgumentException the disk cannot be hot-plugged so (a bus other than virtio, no free slot, ...)
     */
    BackendDisk diskAttach(String name, DiskSpec disk);

    /**
     * {@code kvmj disk detach}: hot-unplugs disk {@code drive} (local: {@code device_del}, then its block nodes;
     * libvirt: {@code virDomainDetachDeviceFlags} LIVE) and waits up to {@code timeout} until the guest released it
     * and the disk is gone from {@link #disks}. The image file is kept.
     *
     * @throws io.kvmj.launcher.GuestException no such disk, or the guest did not release it within {@code timeout}
     *                                         (the removal stays pending)
     */
    void diskDetach(String name, String drive, Duration timeout);

    /**
     * {@code kvmj disk backup}: a full copy of what the running guest's disk {@code drive} holds at the moment the
     * backup starts (its whole backing chain, flattened) into the new image {@code target} of {@code format} (qcow2 or
     * raw), waiting up to {@code timeout} for the job (local: {@code blockdev-backup sync=full}; libvirt:
     * {@code virDomainBackupBegin} push mode, a daemon on this host only). The guest keeps running. A failure, the
     * timeout or an interrupt cancels the job and removes the partial {@code target}. Returns the disk backed up.
     *
     * @throws IllegalArgumentException {@code target} exists (never overwritten), or the backend cannot back up there
     */
    BackendDisk diskBackup(String name, String drive, Path target, ImageFormat format, Duration timeout)
            throws InterruptedException;

    @Override
    void close();
}
