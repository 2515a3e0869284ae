package io.kvmj.launcher.process;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads the end of a (log) file, for error messages. */
public final class FileTail {
    private FileTail() {}

    /**
     * The last {@code maxLines} lines of {@code file}, looking at no more than the last {@code maxBytes}
     * bytes. Returns "" when the file does not exist or cannot be read.
     */
    public static String lastLines(Path file, int maxLines, int maxBytes) {
        if (!Files.isRegularFile(file)) {
            return "";
        }
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
            long len = raf.length();
            int n = (int) Math.min(len, maxBytes);
            byte[] buf = new byte[n];
            raf.seek(len - n);
            raf.readFully(buf);
            String text = new String(buf, StandardCharsets.UTF_8);
            String[] lines = text.split("\r?\n", -1);
            int end = lines.length;
            while (end > 0 && lines[end - 1].isBlank()) {
                end--;
            }
            int start = Math.max(0, end - maxLines);
            if (start == 0 && n < len && end > 0) {
                start = 1; // first line is probably cut
            }
            return String.join("\n", java.util.Arrays.asList(lines).subList(Math.min(start, end), end));
        } catch (IOException e) {
            return "";
        }
    }

    /** The last 20 lines / 8 KiB of a file. */
    public static String of(Path file) {
        return lastLines(file, 20, 8192);
    }
}
