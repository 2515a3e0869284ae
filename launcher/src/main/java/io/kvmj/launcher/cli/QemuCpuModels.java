package io.kvmj.launcher.cli;

import io.kvmj.core.model.CpuModel;
import io.kvmj.launcher.process.Executables;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The CPU models a QEMU binary knows, from its own {@code -cpu help} (cached per binary by {@link QemuFactCache},
 * as {@code kvmj --version} caches the version), so {@code kvmj run --cpu NAME} refuses a model QEMU does not know
 * before launching, with exit 2, instead of QEMU failing at launch with exit 1.
 *
 * <pre>{@code
 * QemuCpuModels.check("qemu-system-x86_64", CpuModel.named("Skylake-Client"));  // fine
 * QemuCpuModels.check("qemu-system-x86_64", CpuModel.named("skylake"));         // IllegalArgumentException
 * }</pre>
 */
final class QemuCpuModels {
    /** {@code x86 NAME  description} lines of {@code -cpu help} (QEMU prints one per model, arch first). */
    private static final Pattern MODEL = Pattern.compile("^x86\\s+(\\S+)", Pattern.MULTILINE);

    private QemuCpuModels() {}

    /**
     * Throws {@link IllegalArgumentException} (one line, naming {@code --cpu}) when {@code binary} answers
     * {@code -cpu help} with a list that lacks {@code model}. A binary that cannot be asked, or answers in a form
     * this parser does not know, refuses nothing: QEMU decides at launch.
     */
    static void check(String binary, CpuModel model) {
        if (model == null) {
            return;
        }
        Set<String> known = models(binary);
        if (!known.isEmpty() && !known.contains(model.name())) {
            String near = known.stream().filter(k -> k.equalsIgnoreCase(model.name())).findFirst()
                    .map(k -> " (did you mean " + k + "?)").orElse("");
            throw new IllegalArgumentException("--cpu " + model.name() + ": " + binary + " knows no such CPU model"
                    + near + "; see " + binary + " -cpu help");
        }
    }

    /** The model names {@code binary} lists; empty when it cannot be asked. */
    static Set<String> models(String binary) {
        Optional<Path> bin = binary.contains("/") ? Optional.of(Path.of(binary)) : Executables.find(binary);
        if (bin.isEmpty()) {
            return Set.of();
        }
        return QemuFactCache.of("qemu-cpus").get(bin.get(), QemuCpuModels::ask).map(QemuCpuModels::parse)
                .orElse(Set.of());
    }

    /** The model names in a {@code -cpu help} answer. */
    static Set<String> parse(String help) {
        Set<String> out = new TreeSet<>();
        Matcher m = MODEL.matcher(help);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    private static Optional<String> ask(Path bin) {
        try {
            Process p = new ProcessBuilder(bin.toString(), "-cpu", "help").redirectErrorStream(true).start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readNBytes(1 << 20), StandardCharsets.UTF_8);
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return Optional.empty();
            }
            return p.exitValue() == 0 && !parse(out).isEmpty() ? Optional.of(out) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
