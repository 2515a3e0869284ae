package io.kvmj.core.qemu;

import java.util.List;

/** A rendered QEMU invocation: the exact argv (binary first; never a shell string) and warnings. */
public record QemuCommand(List<String> argv, List<Warning> warnings) {
    public QemuCommand {
        argv = List.copyOf(argv);
        warnings = List.copyOf(warnings);
    }

    /** argv without the binary. */
    public List<String> args() { return argv.subList(1, argv.size()); }

    /** POSIX-shell rendering for display and copy/paste: unsafe words single-quoted. */
    public String shellQuoted() {
        return ShellQuote.join(argv);
    }

    /** Argument following the first occurrence of {@code option}, or null. */
    public String valueOf(String option) {
        int i = argv.indexOf(option);
        return i >= 0 && i + 1 < argv.size() ? argv.get(i + 1) : null;
    }

    /** All arguments following each occurrence of {@code option}. */
    public List<String> valuesOf(String option) {
        java.util.ArrayList<String> out = new java.util.ArrayList<>();
        for (int i = 0; i + 1 < argv.size(); i++) {
            if (argv.get(i).equals(option)) {
                out.add(argv.get(i + 1));
            }
        }
        return out;
    }
}
