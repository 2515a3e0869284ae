package io.kvmj.launcher.process;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShellQuoteTest {
    @Test
    void quotesOnlyWhatNeedsIt() {
        assertEquals("qemu -drive file=/a/b.img,format=raw", ShellQuote.join(List.of("qemu", "-drive", "file=/a/b.img,format=raw")));
        assertEquals("'a b' '' 'it'\\''s' '$HOME'", ShellQuote.join(List.of("a b", "", "it's", "$HOME")));
    }

    @Test
    void roundTripsThroughARealShell() throws Exception {
        List<String> argv = List.of("x y", "it's", "$(id)", "a\"b", "*", "tab\tnl\n");
        Process p = new ProcessBuilder("sh", "-c", "for a in " + ShellQuote.join(argv) + "; do printf '%s\\0' \"$a\"; done")
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor();
        assertEquals(String.join("\0", argv) + "\0", out);
    }

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
