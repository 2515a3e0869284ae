package io.kvmj.core.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProgressParserTest {
    @Test
    void splitsCarriageReturnRecordsAndKeepsOtherLines() {
        List<Double> seen = new ArrayList<>();
        ProgressParser p = new ProgressParser(seen::add);
        String qemuStyle = "    (0.00/100%)\r    (12.50/100%)\r    (100.00/100%)\rwarning: something\n";
        qemuStyle.chars().forEach(c -> p.accept((char) c));
        p.finish();
        assertEquals(List.of(0.0, 12.5, 100.0), seen);
        assertEquals("warning: something\n", p.otherOutput());
    }

    @Test
    void ignoresRegressionsAndGarbage() {
        List<Double> seen = new ArrayList<>();
        ProgressParser p = new ProgressParser(seen::add);
        for (char c : "(50.00/100%)\r(40.00/100%)\r(x/100%)\r".toCharArray()) {
            p.accept(c);
        }
        p.finish();
        assertEquals(List.of(50.0), seen);
        assertTrue(p.otherOutput().contains("(x/100%)"));
    }
}
