package io.kvmj.launcher.backend;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.PointerType;
import com.sun.jna.ptr.IntByReference;
import io.kvmj.launcher.GuestException;
import java.lang.reflect.Field;
import org.libvirt.Connect;
import org.libvirt.Domain;
import org.libvirt.jna.ConnectionPointer;
import org.libvirt.jna.DomainPointer;
import org.libvirt.jna.SizeT;

/**
 * The libvirt calls libvirt-java 0.5.4 does not bind ({@code virDomainShutdownFlags}, {@code virDomainGetState},
 * {@code virDomainOpenConsole}, {@code virDomainSaveImageGetXMLDesc}) and the stream calls on plain byte arrays,
 * called on libvirt-java's own handles through JNA.
 */
final class LibvirtNative {
    /** {@code VIR_DOMAIN_SHUTDOWN_ACPI_POWER_BTN}. */
    static final int SHUTDOWN_ACPI = 1;
    /** {@code VIR_DOMAIN_SHUTDOWN_GUEST_AGENT}. */
    static final int SHUTDOWN_GUEST_AGENT = 2;

    /** {@code VIR_DOMAIN_CONSOLE_SAFE}: refuse (rather than share) a console another client holds. */
    static final int CONSOLE_SAFE = 2;

    private interface Api extends Library {
        int virDomainShutdownFlags(DomainPointer domain, int flags);

        int virDomainGetState(DomainPointer domain, IntByReference state, IntByReference reason, int flags);

        int virDomainOpenConsole(DomainPointer domain, String devName, Pointer stream, int flags);

        Pointer virStreamNew(ConnectionPointer conn, int flags);

        int virStreamRecv(Pointer stream, byte[] data, SizeT nbytes);

        int virStreamSend(Pointer stream, byte[] data, SizeT nbytes);

        int virStreamFinish(Pointer stream);

        int virStreamAbort(Pointer stream);

        int virStreamFree(Pointer stream);

        String virDomainSaveImageGetXMLDesc(ConnectionPointer conn, String file, int flags);

        String virGetLastErrorMessage();
    }

    private static final class Holder {
        static final Api API = Native.load("virt", Api.class);
    }

    private LibvirtNative() {
    }

    static void shutdown(Domain d, int flags) {
        check(Holder.API.virDomainShutdownFlags(pointer(d, "vdp", DomainPointer.class), flags), "shutdown");
    }

    /** {@code [state, reason]} as libvirt numbers them ({@code virDomainState}, its reason enum). */
    static int[] state(Domain d) {
        IntByReference state = new IntByReference();
        IntByReference reason = new IntByReference();
        check(Holder.API.virDomainGetState(pointer(d, "vdp", DomainPointer.class), state, reason, 0), "get state");
        return new int[] {state.getValue(), reason.getValue()};
    }

    /** A new blocking stream on {@code c} opened on the domain's first console ({@code virsh console}). */
    static Pointer openConsole(Connect c, Domain d, int flags) {
        Pointer st = Holder.API.virStreamNew(pointer(c, "vcp", ConnectionPointer.class), 0);
        if (st == null) {
            throw new GuestException("libvirt: new stream: " + Holder.API.virGetLastErrorMessage());
        }
        int rc = Holder.API.virDomainOpenConsole(pointer(d, "vdp", DomainPointer.class), null, st, flags);
        if (rc < 0) {
            String why = Holder.API.virGetLastErrorMessage();
            Holder.API.virStreamFree(st);
            throw new GuestException("libvirt: open console: " + why);
        }
        return st;
    }

    /** Up to {@code buf.length} bytes from the stream, blocking; 0 at its end. */
    static int receive(Pointer stream, byte[] buf) {
        int n = Holder.API.virStreamRecv(stream, buf, new SizeT(buf.length));
        check(n, "console stream");
        return n;
    }

    /** All of {@code bytes} into the stream. */
    static void send(Pointer stream, byte[] bytes) {
        byte[] rest = bytes;
        while (rest.length > 0) {
            int n = Holder.API.virStreamSend(stream, rest, new SizeT(rest.length));
            check(n, "console stream");
            rest = java.util.Arrays.copyOfRange(rest, n, rest.length);
        }
    }

    /** Ends the stream: {@code finish} when its peer ended it, else {@code abort}; errors are ignored. */
    static void endStream(Pointer stream, boolean finished) {
        if (finished) {
            Holder.API.virStreamFinish(stream);
        } else {
            Holder.API.virStreamAbort(stream);
        }
    }

    /** Releases the stream's handle (after {@link #endStream}, once nobody uses it). */
    static void freeStream(Pointer stream) {
        Holder.API.virStreamFree(stream);
    }

    /** The domain XML inside a libvirt save image ({@code virsh save-image-dumpxml}). */
    static String saveImageXml(Connect c, String file) {
        String xml = Holder.API.virDomainSaveImageGetXMLDesc(pointer(c, "vcp", ConnectionPointer.class), file, 0);
        if (xml == null) {
            throw new GuestException("libvirt: " + Holder.API.virGetLastErrorMessage());
        }
        return xml;
    }

    private static void check(int rc, String what) {
        if (rc < 0) {
            throw new GuestException("libvirt: " + what + ": " + Holder.API.virGetLastErrorMessage());
        }
    }

    /** libvirt-java keeps its native handle in a non-public field. */
    private static <T extends PointerType> T pointer(Object o, String field, Class<T> type) {
        try {
            Field f = o.getClass().getDeclaredField(field);
            f.setAccessible(true);
            return type.cast(f.get(o));
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("libvirt-java " + o.getClass().getName() + "." + field + ": " + e, e);
        }
    }
}
