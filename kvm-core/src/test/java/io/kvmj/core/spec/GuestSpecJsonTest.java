package io.kvmj.core.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvmj.core.model.CloudInitSpec;
import io.kvmj.core.model.GuestSpec;
import io.kvmj.core.model.InvalidSpecException;
import org.junit.jupiter.api.Test;

class GuestSpecJsonTest {
    @Test
    void everyGeneratedSpecSurvivesJson() {
        for (long seed = 0; seed < 500; seed++) {
            GuestSpec s = new SpecGenerator(seed, seed % 2 == 0).next();
            String json = GuestSpecJson.write(s);
            assertTrue(json.replaceAll("\\s", "").startsWith("{\"kvmjSpecVersion\":1,"), json);
            assertEquals(s, GuestSpecJson.read(json), "seed " + seed + "\n" + json);
        }
    }

    @Test
    void dryRunOutputWithSpecInsideIsAccepted() {
        GuestSpec s = new SpecGenerator(7, false).next();
        String wrapped = "{\"name\":\"x\",\"argv\":[\"qemu\"],\"spec\":" + GuestSpecJson.write(s) + "}";
        assertEquals(s, GuestSpecJson.read(wrapped));
    }

    @Test
    void missingFieldsTakeTheModelDefaults() {
        GuestSpec s = GuestSpecJson.read("{\"kvmjSpecVersion\":1,\"name\":\"vm1\"}");
        assertEquals(GuestSpec.builder("vm1").build(), s);
    }

    @Test
    void badDocumentsAreRefusedWithTheField() {
        assertEquals("kvmjSpecVersion", assertThrows(InvalidSpecException.class,
                () -> GuestSpecJson.read("{\"name\":\"vm1\"}")).field());
        assertEquals("kvmjSpecVersion", assertThrows(InvalidSpecException.class,
                () -> GuestSpecJson.read("{\"kvmjSpecVersion\":2,\"name\":\"vm1\"}")).field());
        InvalidSpecException e = assertThrows(InvalidSpecException.class,
                () -> GuestSpecJson.read("{\"kvmjSpecVersion\":1,\"name\":\"vm1\",\"disks\":[{\"id\":\"a\",\"source\":{\"kind\":\"File\",\"path\":\"/a\"},\"sourse\":{}}]}"));
        assertTrue(e.getMessage().contains("sourse"), e.getMessage());
        e = assertThrows(InvalidSpecException.class, () -> GuestSpecJson.read("{\"kvmjSpecVersion\":1,\"name\":\"vm1\","
                + "\"disks\":[{\"id\":\"a\",\"source\":{\"kind\":\"File\",\"path\":\"/a\"},\"bus\":\"VIRTIO_BLK\",\"serial\":\"123456789012345678901\"}]}"));
        assertEquals("disks[a].serial", e.field());
        assertEquals("disks[0].source", assertThrows(InvalidSpecException.class,
                () -> GuestSpecJson.read("{\"kvmjSpecVersion\":1,\"name\":\"vm1\",\"disks\":[{\"id\":\"a\"}]}")).field());
        assertThrows(InvalidSpecException.class, () -> GuestSpecJson.read("not json"));
        assertThrows(InvalidSpecException.class, () -> GuestSpecJson.read("[1]"));
    }

    @Test
    void passwordsAreNeverWritten() {
        CloudInitSpec ci = CloudInitSpec.builder().rootPasswordGenerate(true).build();
        GuestSpec s = GuestSpec.builder("vm1").cloudInit(ci).build();
        String json = GuestSpecJson.write(s);
        assertFalse(json.contains(ci.rootPassword()), json);
        GuestSpec back = GuestSpecJson.read(json);
        assertTrue(back.cloudInit().rootPasswordGenerated());
        GuestSpec given = GuestSpec.builder("vm1").cloudInit(CloudInitSpec.builder().rootPassword("Secret-1").build()).build();
        assertFalse(GuestSpecJson.write(given).contains("Secret-1"));
    }
}
