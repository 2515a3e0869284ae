package io.kvmj.launcher.migrate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kvmj.core.model.GuestSpec;
import io.kvmj.core.spec.GuestSpecJson;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The container format of {@code kvmj save}: everything {@code kvmj restore} needs in one file.
 *
 * <pre>
 * KVMJ-SAVE 1\n                 magic and version
 * LENGTH\n                      decimal byte length of the spec JSON
 * {...spec JSON...}             {@link GuestSpecJson} of the guest (plus "kvmjVncPassword" when it has one as text)
 * QEMU migration stream         to the end of the file (starts with QEMU's "QEVM" magic)
 * </pre>
 */
public final class SaveFile {
    /** The first line. */
    public static final String MAGIC = "KVMJ-SAVE 1";
    private static final int MAX_SPEC = 16 * 1024 * 1024;
    /** Header field beside the spec's: the VNC password given as text. */
    static final String VNC_PASSWORD = "kvmjVncPassword";

    private SaveFile() {
    }

    /**
     * Writes the header for {@code spec}. A VNC password given as text, which the spec JSON leaves out, goes in as
     * {@value #VNC_PASSWORD} beside it (the file holds the guest's memory anyway; {@link SaveRestore} creates it 0600),
     * as libvirt's save image carries the domain's secure XML.
     */
    public static void writeHeader(OutputStream out, GuestSpec spec) throws IOException {
        ObjectNode tree = GuestSpecJson.toTree(spec);
        if (spec.vnc() != null && spec.vnc().password() != null) {
            tree.put(VNC_PASSWORD, spec.vnc().password());
        }
        byte[] json = (tree.toPrettyString() + "\n").getBytes(StandardCharsets.UTF_8);
        out.write((MAGIC + "\n" + json.length + "\n").getBytes(StandardCharsets.US_ASCII));
        out.write(json);
    }

    /**
     * Reads the header, leaving {@code in} at the start of the QEMU stream.
     *
     * @throws IOException when the file is not a kvmj save file, with one line saying why
     */
    public static GuestSpec readHeader(InputStream in) throws IOException {
        String magic = line(in, 64);
        if (!MAGIC.equals(magic)) {
            throw new IOException("not a kvmj save file (it does not start with '" + MAGIC + "')");
        }
        String len = line(in, 16);
        int n;
        try {
            n = Integer.parseInt(len);
        } catch (NumberFormatException e) {
            throw new IOException("corrupt kvmj save file: bad spec length '" + len + "'");
        }
        if (n <= 0 || n > MAX_SPEC) {
            throw new IOException("corrupt kvmj save file: spec length " + n + " out of range");
        }
        byte[] json = in.readNBytes(n);
        if (json.length != n) {
            throw new IOException("truncated kvmj save file: spec has " + json.length + " of " + n + " bytes");
        }
        try {
            JsonNode tree = new ObjectMapper().readTree(json);
            JsonNode pw = tree instanceof ObjectNode o ? o.remove(VNC_PASSWORD) : null;
            GuestSpec spec = GuestSpecJson.fromTree(tree);
            if (pw != null && spec.vnc() != null) {
                spec = spec.toBuilder().vnc(spec.vnc().withPassword(pw.asText())).build();
            }
            return spec;
        } catch (RuntimeException | com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IOException("corrupt kvmj save file: " + e.getMessage(), e);
        }
    }

    private static String line(InputStream in, int max) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (int i = 0; i <= max; i++) {
            int c = in.read();
            if (c == '\n') {
                return b.toString(StandardCharsets.US_ASCII);
            }
            if (c < 0) {
                break;
            }
            b.write(c);
        }
        return b.toString(StandardCharsets.US_ASCII) + "...";
    }
}
