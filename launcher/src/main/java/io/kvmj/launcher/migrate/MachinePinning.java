package io.kvmj.launcher.migrate;

import io.kvmj.core.model.GuestSpec;
import io.kvmj.core.model.MachineType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pins a migratable guest's board to the versioned machine type its alias stands for in this QEMU
 * ({@code q35} → {@code pc-q35-7.2}), so a destination started from the recorded spec gets the same board even
 * under a newer QEMU. Asks {@code QEMU -machine help} once per binary (its {@code (alias of X)} lines).
 *
 * <pre>{@code
 * GuestSpec pinned = MachinePinning.pin("qemu-system-x86_64", spec);  // machineVersion "pc-q35-7.2"
 * }</pre>
 */
public final class MachinePinning {
    private static final Logger LOG = LoggerFactory.getLogger(MachinePinning.class);
    private static final Pattern ALIAS = Pattern.compile("^(\\S+)\\s+.*\\(alias of (\\S+)\\)\\s*$", Pattern.MULTILINE);
    private static final Map<String, Map<String, String>> CACHE = new ConcurrentHashMap<>();

    private MachinePinning() {
    }

    /**
     * {@code spec} with its machine version set, when it has none, its board has versions and nothing in it blocks
     * migration ({@link Migratability}); otherwise {@code spec} unchanged (also when QEMU cannot be asked).
     */
    public static GuestSpec pin(String qemuBinary, GuestSpec spec) {
        if (spec.machineVersion() != null || spec.machine().versionPrefix() == null
                || !Migratability.problems(spec).isEmpty()) {
            return spec;
        }
        return resolve(qemuBinary, spec.machine()).map(v -> spec.toBuilder().machineVersion(v).build()).orElse(spec);
    }

    /** The versioned name of {@code type}'s alias in {@code qemuBinary}, if QEMU says. */
    public static Optional<String> resolve(String qemuBinary, MachineType type) {
        String v = CACHE.computeIfAbsent(qemuBinary, MachinePinning::aliases).get(type.qemuName());
        return Optional.ofNullable(v).filter(x -> type.versionPrefix() != null && x.startsWith(type.versionPrefix()));
    }

    /** Parses {@code -machine help}: alias → versioned name. */
    static Map<String, String> parse(String help) {
        Map<String, String> out = new java.util.HashMap<>();
        Matcher m = ALIAS.matcher(help);
        while (m.find()) {
            out.put(m.group(1), m.group(2));
        }
        return out;
    }

    private static Map<String, String> aliases(String qemuBinary) {
        try {
            Process p = new ProcessBuilder(qemuBinary, "-machine", "help").redirectErrorStream(true).start();
            p.getOutputStream().close();
            byte[] out = p.getInputStream().readNBytes(1 << 20);
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return Map.of();
            }
            return p.exitValue() == 0 ? parse(new String(out, StandardCharsets.UTF_8)) : Map.of();
        } catch (IOException e) {
            LOG.debug("cannot ask {} for its machine types: {}", qemuBinary, e.toString());
            return Map.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Map.of();
        }
    }
}
