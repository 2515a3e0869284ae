package io.kvmj.launcher.process;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileTailTest {
    @Test
    void tailReturnsLastLines(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("log");
        StringBuilder sb = new StringBuilder();
        for (int i = 1; i <= 100; i++) {
            sb.append("line ").append(i).append('\n');
        }
        Files.writeString(f, sb + "\n\n");
        assertEquals("line 98\nline 99\nline 100", FileTail.lastLines(f, 3, 4096));
        assertEquals("", FileTail.of(dir.resolve("missing")));
        String small = FileTail.lastLines(f, 50, 20);
        assertEquals("line 100", small.lines().reduce((a, b) -> b).orElseThrow());
    }
}
