package io.kvmj.launcher.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class OptionStringTest {
    private static final Set<String> DISK = Set.of("path", "format", "cache", "readonly", "serial");

    @Test
    void bareValueIsDefaultKey() {
        OptionString o = OptionString.parse("--disk", "/var/a.img", "path", DISK);
        assertEquals(Map.of("path", "/var/a.img"), o.asMap());
    }

    @Test
    void keyValuesKeepOrderAndDoubledCommaIsLiteral() {
        OptionString o = OptionString.parse("--disk", "path=/x/a,,b.img,format=qcow2,readonly=on", "path", DISK);
        assertEquals(List.of("path", "format", "readonly"), List.copyOf(o.asMap().keySet()));
        assertEquals("/x/a,b.img", o.require("path"));
        assertTrue(o.flag("readonly", false));
        assertFalse(o.flag("cache", false));
    }

    @Test
    void leadingBareValueWithCommaAndFlag() {
        OptionString o = OptionString.parse("--disk", "a,,,,b,readonly", "path", DISK);
        assertEquals("a,,b", o.require("path"));
        assertEquals("on", o.get("readonly").orElseThrow());
    }

    @Test
    void errorsNameTheOptionAndTheProblem() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> OptionString.parse("--disk", "path=a,bogus=1", "path", DISK));
        assertTrue(e.getMessage().contains("--disk") && e.getMessage().contains("bogus"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> OptionString.parse("--disk", "path=a,path=b", "path", DISK));
        assertThrows(IllegalArgumentException.class, () -> OptionString.parse("--disk", "path=a,", "path", DISK));
        assertThrows(IllegalArgumentException.class, () -> OptionString.parse("--disk", "", "path", DISK));
        OptionString o = OptionString.parse("--disk", "a,cache=bad", "path", DISK);
        assertThrows(IllegalArgumentException.class, () -> o.oneOf("cache", Set.of("none", "writeback")));
        assertThrows(IllegalArgumentException.class, () -> OptionString.parse("--disk", "a,readonly=maybe", "path", DISK)
                .flag("readonly", false));
    }

    @Test
    void virtInstallQuotingBesideDoubledCommas() {
        assertEquals("/a,b.img", OptionString.parse("--disk", "path=\"/a,b.img\",readonly", "path", DISK).require("path"));
        assertEquals("/a,b.img", OptionString.parse("--disk", "\"/a,b.img\",readonly=on", "path", DISK).require("path"));
        assertEquals("/a,b.img", OptionString.parse("--disk", "'/a,b.img'", "path", DISK).require("path"));
        assertEquals("/x\"y,z", OptionString.parse("--disk", "path=\"/x\\\"y,z\"", "path", DISK).require("path"));
        assertEquals("/a,b,c", OptionString.parse("--disk", "path=\"/a,b\",,c", "path", DISK).require("path"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> OptionString.parse("--disk", "path=\"/a,b", "path", DISK));
        assertTrue(e.getMessage().contains("unterminated"), e.getMessage());
    }
}
