package io.kvmj.launcher.migrate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvmj.core.model.GuestSpec;
import io.kvmj.core.model.VncSpec;
import io.kvmj.core.spec.GuestSpecJson;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The save file header carries what a restore needs beside the spec JSON: a VNC password given as text. */
class SaveFileTest {
    @Test
    void theVncPasswordRidesBesideTheSpecAndTheStreamFollows() throws IOException {
        GuestSpec spec = GuestSpec.builder("vm1").vnc(VncSpec.loopback(3).withPassword("s3cr,et")).build();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SaveFile.writeHeader(out, spec);
        out.write("QEVM".getBytes(StandardCharsets.US_ASCII));
        String header = out.toString(StandardCharsets.UTF_8);
        assertTrue(header.contains("\"" + SaveFile.VNC_PASSWORD + "\""), header);
        assertFalse(GuestSpecJson.write(spec).contains("s3cr,et"), "the spec JSON alone never holds it");

        InputStream in = new ByteArrayInputStream(out.toByteArray());
        GuestSpec back = SaveFile.readHeader(in);
        assertEquals("s3cr,et", back.vnc().password());
        assertEquals(3, back.vnc().display());
        assertEquals("QEVM", new String(in.readAllBytes(), StandardCharsets.US_ASCII), "left at the QEMU stream");

        ByteArrayOutputStream plain = new ByteArrayOutputStream();
        SaveFile.writeHeader(plain, GuestSpec.builder("vm2").vnc(VncSpec.loopback(1)).build());
        assertFalse(plain.toString(StandardCharsets.UTF_8).contains(SaveFile.VNC_PASSWORD));
        assertNull(SaveFile.readHeader(new ByteArrayInputStream(plain.toByteArray())).vnc().password());
    }
}
