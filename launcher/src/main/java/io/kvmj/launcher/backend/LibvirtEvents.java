package io.kvmj.launcher.backend;

import com.sun.jna.Callback;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.kvmj.launcher.GuestException;
import io.kvmj.qmp.QmpEvent;
import io.kvmj.qmp.QmpJson;
import java.lang.reflect.Field;
import java.time.Instant;
import java.util.function.Consumer;
import org.libvirt.Connect;
import org.libvirt.Domain;
import org.libvirt.LibvirtException;

/**
 * A domain's QEMU monitor events through libvirt ({@code virConnectDomainQemuMonitorEventRegister}, what
 * {@code virsh qemu-monitor-event} uses): every event QEMU emits, with its name, data (JSON text) and timestamp.
 * Needs libvirt's event loop, which must be registered before the connection is opened: use
 * {@link LibvirtBackend#connectWithEvents(String)}.
 *
 * <pre>{@code
 * try (LibvirtBackend lv = LibvirtBackend.connectWithEvents(uri);
 *      LibvirtEvents ev = LibvirtEvents.subscribe(lv, "vm1", e -> System.out.println(e.name() + " " + e.data()))) {
 *     lv.stop("vm1", Duration.ofSeconds(30), false);   // POWERDOWN, SHUTDOWN, ...
 * }
 * }</pre>
 */
public final class LibvirtEvents implements AutoCloseable {
    /** One QEMU monitor event as libvirt hands it over. */
    public record Event(String name, String data, Instant timestamp) {
        /** As the local QMP client hands it over ({@code data} parsed; kept as text if it is not JSON). */
        public QmpEvent toQmp() {
            JsonNode d = null;
            if (data != null) {
                try {
                    d = QmpJson.mapper().readTree(data);
                } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                    d = TextNode.valueOf(data);
                }
            }
            return new QmpEvent(name, d, timestamp);
        }
    }

    /** {@code virConnectDomainQemuMonitorEventCallback}. */
    public interface MonitorCallback extends Callback {
        void invoke(Pointer conn, Pointer dom, String event, long seconds, int micros, String details, Pointer opaque);
    }

    private interface QemuApi extends Library {
        int virConnectDomainQemuMonitorEventRegister(Pointer conn, Pointer dom, String event, MonitorCallback cb,
                                                     Pointer opaque, Pointer freecb, int flags);

        int virConnectDomainQemuMonitorEventDeregister(Pointer conn, int callbackId);

        String virGetLastErrorMessage();
    }

    private static final class Holder {
        static final QemuApi API = Native.load("virt-qemu", QemuApi.class);
    }

    private final Pointer conn;
    private final int id;
    @SuppressWarnings("unused") // held: native code calls it
    private final MonitorCallback callback;

    private LibvirtEvents(Pointer conn, int id, MonitorCallback callback) {
        this.conn = conn;
        this.id = id;
        this.callback = callback;
    }

    /** Every monitor event of domain {@code name} goes to {@code sink} (on libvirt's event-loop thread). */
    public static LibvirtEvents subscribe(LibvirtBackend lv, String name, Consumer<Event> sink) {
        Domain d = lv.domain(name);
        Pointer conn = handle(lv.connection(), Connect.class, "vcp");
        Pointer dom = handle(d, Domain.class, "vdp");
        MonitorCallback cb = (c, x, event, seconds, micros, details, opaque) ->
                sink.accept(new Event(event, details, Instant.ofEpochSecond(seconds, micros * 1000L)));
        int id = Holder.API.virConnectDomainQemuMonitorEventRegister(conn, dom, null, cb, null, null, 0);
        if (id < 0) {
            throw new GuestException(name + ": libvirt: monitor events: " + Holder.API.virGetLastErrorMessage());
        }
        return new LibvirtEvents(conn, id, cb);
    }

    private static Pointer handle(Object o, Class<?> owner, String field) {
        try {
            Field f = owner.getDeclaredField(field);
            f.setAccessible(true);
            return ((com.sun.jna.PointerType) f.get(o)).getPointer();
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("libvirt-java " + owner.getName() + "." + field + ": " + e, e);
        }
    }

    /** Starts libvirt's default event loop on a daemon thread (once per JVM); before any connection is opened. */
    static synchronized void startEventLoop() {
        if (loop != null) {
            return;
        }
        try {
            org.libvirt.Library.initEventLoop();
        } catch (LibvirtException e) {
            throw new GuestException("libvirt event loop: " + e.getMessage());
        }
        loop = new Thread(() -> {
            try {
                org.libvirt.Library.runEventLoop();
            } catch (LibvirtException | InterruptedException e) {
                // the JVM is ending
            }
        }, "kvmj-libvirt-events");
        loop.setDaemon(true);
        loop.start();
    }

    private static Thread loop;

    @Override
    public void close() {
        Holder.API.virConnectDomainQemuMonitorEventDeregister(conn, id);
    }
}
