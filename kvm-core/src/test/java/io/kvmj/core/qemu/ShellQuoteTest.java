package io.kvmj.core.qemu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The one shell quoter: minimal quoting, and a real {@code sh} reads back every word unchanged. */
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
    void qemuCommandUsesIt() {
        List<String> argv = List.of("qemu", "-name", "guest=a b", "x'y", "plain,ok=1", "");
        assertEquals(ShellQuote.join(argv), new QemuCommand(argv, List.of()).shellQuoted());
    }
}
