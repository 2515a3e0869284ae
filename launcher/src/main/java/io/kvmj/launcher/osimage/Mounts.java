package io.kvmj.launcher.osimage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** The host's mount table ({@code /proc/self/mountinfo}), to find mounts left under a build directory. */
final class Mounts {
    private Mounts() {}

    /** Mount points at or below {@code dir}, deepest first. */
    static List<Path> under(Path dir) {
        Path base = dir.toAbsolutePath().normalize();
        List<Path> found = new ArrayList<>();
        List<String> lines;
        try {
            lines = Files.readAllLines(Path.of("/proc/self/mountinfo"));
        } catch (IOException e) {
            return found;
        }
        for (String line : lines) {
            String[] f = line.split(" ");
            if (f.length > 4) {
                Path mp = Path.of(unescape(f[4]));
                if (mp.startsWith(base)) {
                    found.add(mp);
                }
            }
        }
        found.sort(Comparator.comparingInt(Path::getNameCount).reversed());
        return found;
    }

    /** mountinfo escapes space, tab, newline and backslash as octal {@code \040} etc. */
    static String unescape(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 3 < s.length()
                && s.substring(i + 1, i + 4).matches("[0-7]{3}")) {
                b.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }
}
