package io.kvmj.core.qemu;

import io.kvmj.core.model.InvalidSpecException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class QemuOptsTest {

    @Test
    void commasAreDoubledInEveryValue() {
        String s = QemuOpts.of("device", "virtio-blk-pci").add("id", "d0").add("serial", "a,b").add("drive", "x,,y").render();
        assertEquals("virtio-blk-pci,id=d0,serial=a,,b,drive=x,,,,y", s);
        assertEquals("a,,,,b", QemuOpts.escape("f", "a,,b"));
        assertEquals("plain", QemuOpts.escape("f", "plain"));
        assertThrows(InvalidSpecException.class, () -> QemuOpts.escape("f", "a\nb"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"comma,name.img", "eq=sign", "with space", "single'quote", "double\"quote", "-leading",
            "x,file=evil.img,driver=qcow2", ",,", "trailing,", "ünïcødé-磁盘", "$(id)`x`"})
    void hostileValuesRoundTripThroughQemuSplitting(String value) {
        String rendered = QemuOpts.keys("blockdev").add("filename", value).add("aio", "threads").render();
        // Split the way QEMU's option parser does: a single ',' separates, ',,' is a literal comma.
        java.util.List<String> parts = splitLikeQemu(rendered);
        assertEquals(2, parts.size(), rendered);
        assertEquals("filename=" + value, parts.get(0));
        assertEquals("aio=threads", parts.get(1));
    }

    static java.util.List<String> splitLikeQemu(String s) {
        java.util.List<String> out = new java.util.ArrayList<>();
        StringBuilder cur = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == ',') {
                if (i + 1 < s.length() && s.charAt(i + 1) == ',') {
                    cur.append(',');
                    i++;
                    continue;
                }
                out.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        out.add(cur.toString());
        return out;
    }

    @ParameterizedTest
    @ValueSource(strings = {"a\nb", "a\rb", "a\0b", "\n"})
    void newlineAndNulAreRefusedNamingTheField(String value) {
        InvalidSpecException e = assertThrows(InvalidSpecException.class,
                () -> QemuOpts.keys("blockdev").add("filename", value));
        assertEquals("blockdev.filename", e.field());
        assertTrue(e.getMessage().contains("newline or NUL"), e.getMessage());
    }

    @Test
    void impliedValueIsEscapedToo() {
        assertEquals("a,,b,id=x", QemuOpts.of("cpu", "a,b").add("id", "x").render());
    }

    @Test
    void nullValuesAreSkippedAndFlagsRender() {
        assertEquals("k=on,m=off", QemuOpts.keys("t").add("x", null).onOff("k", true).flag("l", false).onOff("m", false).render());
    }

    @Test
    void idsFollowQemuRules() {
        assertEquals("disk-0_a.b", QemuIds.check("id", "disk-0_a.b"));
        for (String bad : new String[] {"0disk", "-x", "a,b", "a b", "", "é"}) {
            assertThrows(InvalidSpecException.class, () -> QemuIds.check("id", bad), bad);
        }
        assertThrows(InvalidSpecException.class, () -> QemuIds.checkNodeName("n", "a".repeat(32)));
        assertEquals("a".repeat(31), QemuIds.checkNodeName("n", "a".repeat(31)));
    }

    @Test
    void shellQuotingIsPosixSafe() {
        QemuCommand c = new QemuCommand(java.util.List.of("qemu", "-name", "guest=a b", "x'y", "plain,ok=1", ""), java.util.List.of());
        assertEquals("qemu -name 'guest=a b' 'x'\\''y' plain,ok=1 ''", c.shellQuoted());
    }
}
