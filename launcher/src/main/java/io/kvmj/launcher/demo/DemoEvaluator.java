package io.kvmj.launcher.demo;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Turns the guest's console markers (and what the guest left on the host) into checks. Every check compares
 * with values the host chose at random ({@link DemoExpectations}), so a guest that merely prints PASS fails.
 */
public final class DemoEvaluator {
    private DemoEvaluator() {}

    /** All markers found in the console lines, in order. */
    public static List<Marker> markers(List<ConsoleLine> lines) {
        List<Marker> out = new ArrayList<>();
        for (ConsoleLine l : lines) {
            Marker.parse(l.text(), l.atMillis()).ifPresent(out::add);
        }
        return out;
    }

    /** The last marker with the given key. */
    public static Optional<Marker> last(List<Marker> markers, String key) {
        Optional<Marker> found = Optional.empty();
        for (Marker m : markers) {
            if (m.key().equals(key)) {
                found = Optional.of(m);
            }
        }
        return found;
    }

    /** Checks parsed from the console only: modules, disk, share, done. */
    public static List<DemoCheck> consoleChecks(List<Marker> markers, DemoExpectations exp) {
        List<DemoCheck> checks = new ArrayList<>();
        checks.add(last(markers, "modules").map(m -> m.pass()
                ? DemoCheck.pass("modules", "loaded " + m.field("loaded").orElse("?"))
                : DemoCheck.fail("modules", "insmod failed for " + m.field("failed").orElse("?")))
            .orElse(DemoCheck.fail("modules", "no modules marker (guest did not reach /init?)")));
        checks.add(last(markers, "disk").map(m -> disk(m, exp))
            .orElse(DemoCheck.fail("disk", "no disk marker")));
        checks.add(last(markers, "share").map(m -> share(m, exp))
            .orElse(DemoCheck.fail("share", "no share marker")));
        checks.add(last(markers, "done").isPresent()
            ? DemoCheck.pass("init-done", "guest script ran to the end")
            : DemoCheck.fail("init-done", "guest never printed the done marker"));
        return checks;
    }

    private static DemoCheck disk(Marker m, DemoExpectations exp) {
        if (!m.pass()) {
            return DemoCheck.fail("disk", "guest: " + describe(m.fields()));
        }
        String pat = m.field("pattern").orElse("");
        String sha = m.field("sha256").orElse("");
        if (!pat.equals(exp.pattern())) {
            return DemoCheck.fail("disk", "guest wrote pattern '" + pat + "', host chose '" + exp.pattern() + "'");
        }
        if (!sha.equals(exp.patternSha256())) {
            return DemoCheck.fail("disk", "read-back sha256 " + sha + " != expected " + exp.patternSha256());
        }
        return DemoCheck.pass("disk", exp.patternBytes() + " bytes of pattern " + pat + " written to "
            + m.field("device").orElse("?") + " and read back (O_DIRECT " + m.field("direct").orElse("?")
            + "), sha256 " + sha.substring(0, 12) + "… matches");
    }

    private static DemoCheck share(Marker m, DemoExpectations exp) {
        if (!m.pass()) {
            return DemoCheck.fail("share", "guest: " + describe(m.fields()) + " (" + m.value() + ")");
        }
        String content = m.field("content").orElse("");
        if (!content.equals(exp.shareContent())) {
            return DemoCheck.fail("share", "guest read '" + content + "' from 9p, host wrote '"
                + exp.shareContent() + "'");
        }
        return DemoCheck.pass("share", "guest read " + exp.shareFile() + " over 9p (tag " + exp.shareTag()
            + "): content " + content + " matches");
    }

    /** Checks the reply file the guest wrote into the share. */
    public static DemoCheck shareWrite(Path shareDir, DemoExpectations exp) {
        Path f = shareDir.resolve(DemoExpectations.REPLY_FILE);
        try {
            if (!Files.exists(f)) {
                return DemoCheck.fail("share-write", "guest did not create " + f);
            }
            String got = Files.readString(f, StandardCharsets.UTF_8).strip();
            return got.equals(exp.expectedReply())
                ? DemoCheck.pass("share-write", "host read the guest's reply from " + f.getFileName())
                : DemoCheck.fail("share-write", "reply file holds '" + got + "', expected '" + exp.expectedReply()
                    + "'");
        } catch (IOException e) {
            return DemoCheck.fail("share-write", "cannot read " + f + ": " + e.getMessage());
        }
    }

    private static String describe(Map<String, String> fields) {
        return fields.entrySet().stream().map(e -> e.getValue().isEmpty() ? e.getKey() : e.getKey() + "=" + e.getValue())
            .collect(Collectors.joining(" "));
    }
}
