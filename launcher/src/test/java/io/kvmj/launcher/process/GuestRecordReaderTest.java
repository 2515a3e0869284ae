package io.kvmj.launcher.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link GuestRecordReader} reads what data binding writes, and reads foreign files as data binding reads them. */
class GuestRecordReaderTest {
    private static final ObjectMapper MAPPER = new ObjectMapper(); // as RuntimeDir writes

    @TempDir
    Path dir;

    @Test
    void everyComponentWrittenByDataBindingReadsBack() throws Exception {
        RecordComponent[] cs = GuestRecord.class.getRecordComponents();
        Object[] values = new Object[cs.length];
        for (int i = 0; i < cs.length; i++) {
            Class<?> t = cs[i].getType();
            values[i] = t == String.class ? "v" + i + " \"quoted\" ü" : t == Long.class ? (long) Integer.MAX_VALUE + i
                    : t == Integer.class ? 1000 + i : t == Boolean.class ? (i % 2 == 0) : t == List.class
                    ? List.of("a" + i, "b c", "") : null;
            assertNotNull(values[i], "a value for component " + cs[i].getName() + " of type " + t);
        }
        GuestRecord full = (GuestRecord) GuestRecord.class.getDeclaredConstructors()[0].newInstance(values);
        Path f = dir.resolve("guest.json");
        MAPPER.writeValue(f.toFile(), full);
        assertEquals(full, GuestRecordReader.read(f));
        MAPPER.writeValue(f.toFile(), GuestRecord.named("vm1")); // isDetached() makes it write "detached":false
        assertEquals(MAPPER.readValue(f.toFile(), GuestRecord.class), GuestRecordReader.read(f));
    }

    @Test
    void foreignFilesReadAsDataBindingReadsThem() throws Exception {
        for (String json : List.of(
                "{}",
                "{\"name\":\"vm1\",\"pid\":null,\"argv\":null,\"detached\":null}",
                "{\"name\":\"vm1\",\"future\":{\"nested\":[1,{\"a\":[]}]},\"other\":[[]],\"pid\":7}",
                "{\"name\":5,\"pid\":\"42\",\"detached\":\"true\",\"console\":false,\"sshPort\":\"2222\"}",
                "{\"name\":true,\"accelerator\":1.5}",
                "  {\"name\" : \"vm1\" ,\n \"argv\" : [ \"qemu\" , \"-m\" ] }  ")) {
            Path f = dir.resolve("guest.json");
            Files.writeString(f, json);
            assertEquals(MAPPER.readValue(f.toFile(), GuestRecord.class), GuestRecordReader.read(f), json);
        }
    }

    @Test
    void whatDataBindingRefusesIsRefused() throws Exception {
        for (String json : List.of("", "[]", "\"x\"", "{\"name\":", "{\"pid\":\"abc\"}", "{\"pid\":[1]}",
                "{\"detached\":\"yes\"}", "{\"argv\":\"qemu\"}", "{\"argv\":[\"qemu\",null]}", "{\"name\":{}}",
                "{\"sshPort\":99999999999}", "{\"name\":\"a\"} trailing")) {
            Path f = dir.resolve("guest.json");
            Files.writeString(f, json);
            boolean bindingRefuses;
            try {
                MAPPER.readValue(f.toFile(), GuestRecord.class);
                bindingRefuses = false;
            } catch (IOException e) {
                bindingRefuses = true;
            }
            if (bindingRefuses) {
                assertThrows(IOException.class, () -> GuestRecordReader.read(f), json);
            } else {
                assertEquals(MAPPER.readValue(f.toFile(), GuestRecord.class), GuestRecordReader.read(f), json);
            }
        }
    }
}
