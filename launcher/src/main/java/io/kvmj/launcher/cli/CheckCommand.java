package io.kvmj.launcher.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kvmj.core.ffi.NativeAccess;
import io.kvmj.core.host.Check;
import io.kvmj.core.host.HostProbe;
import io.kvmj.core.host.HostReport;
import io.kvmj.core.host.HostRoot;
import io.kvmj.core.host.KvmDeviceProbe;
import io.kvmj.core.host.Verdict;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code kvmj check}: what this host can do for virtual machines (CPU virtualisation, KVM module and ioctls
 * including a KVM_RUN smoke test, hugepages, IOMMU, tun/vhost) and which accelerator guests should use. Prints an
 * aligned table (coloured on a terminal unless {@code NO_COLOR} is set) or, with {@code --json}, one JSON document.
 * Exit code 0 when KVM is usable for guests, 1 when it is not, 2 on an internal error.
 */
@Command(name = "check", mixinStandardHelpOptions = true,
        description = "Check this host for QEMU/KVM: hardware virtualisation, /dev/kvm ioctls (with a KVM_RUN"
                + " smoke test), hugepages, IOMMU, tun/vhost; recommends kvm or tcg.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:KVM is usable for guests", "1:KVM is not usable (use TCG)", "2:internal error"})
public final class CheckCommand implements Callable<Integer> {
    /** Version of the {@code --json} document layout; bumped on incompatible changes. */
    public static final int SCHEMA_VERSION = 1;

    @Spec
    CommandSpec spec;

    @Option(names = "--json", description = "Print one JSON document instead of the table.")
    boolean json;

    @Option(names = "--ffi", paramLabel = "jnr|jna",
            description = "FFI backend for the ioctls (default: system property kvmj.ffi, else jnr).")
    String ffi;

    @Option(names = "--no-run-test", description = "Skip the KVM_RUN smoke test (no guest code is executed).")
    boolean noRunTest;

    @Option(names = "--root", hidden = true, description = "Read host files below this directory (testing).")
    Path root;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        HostReport report;
        try {
            Supplier<NativeAccess> access = selectBackend();
            HostRoot hostRoot = root == null ? HostRoot.system() : new HostRoot(root);
            // the FFI backend is loaded only when there is a device to probe (loading jnr-ffi costs more than the
            // rest of the check on a host without /dev/kvm; issue 19)
            KvmDeviceProbe device = path -> KvmDeviceProbe.nativeProbe(access.get(), !noRunTest).probe(path);
            report = new HostProbe(hostRoot, device).run();
        } catch (IllegalArgumentException e) {
            err.println("kvmj check: " + e.getMessage());
            return 2;
        } catch (RuntimeException | LinkageError e) {
            err.println("kvmj check: internal error: " + e);
            if (Boolean.getBoolean("kvmj.debug")) {
                e.printStackTrace(err);
            }
            return 2;
        }
        try {
            if (json) {
                out.println(toJson(report));
            } else {
                printTable(out, report, useColour());
            }
        } catch (Exception e) {
            err.println("kvmj check: cannot print the report: " + e);
            return 2;
        }
        out.flush();
        return report.recommendation().kvmUsable() ? 0 : 1;
    }

    private Supplier<NativeAccess> selectBackend() {
        if (ffi == null) {
            return NativeAccess::get;
        }
        switch (ffi.toLowerCase(Locale.ROOT)) {
            case "jna":
                return NativeAccess::jna;
            case "jnr":
                return NativeAccess::jnr;
            default:
                throw new IllegalArgumentException("unknown --ffi " + ffi + " (expected jnr or jna)");
        }
    }

    /** The {@code --json} document: schemaVersion, kvmUsable, accelerator, recommendation, summary, checks, facts. */
    static String toJson(HostReport report) throws Exception {
        ObjectMapper m = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode doc = m.createObjectNode();
        doc.put("schemaVersion", SCHEMA_VERSION);
        doc.put("kvmUsable", report.recommendation().kvmUsable());
        doc.put("accelerator", report.recommendation().accelerator());
        doc.set("recommendation", m.valueToTree(report.recommendation()));
        ObjectNode summary = doc.putObject("summary");
        for (Verdict v : Verdict.values()) {
            summary.put(v.name().toLowerCase(Locale.ROOT), report.count(v));
        }
        doc.set("checks", m.valueToTree(report.checks()));
        doc.set("facts", m.valueToTree(report.facts()));
        return m.writeValueAsString(doc);
    }

    private static boolean useColour() {
        String noColor = System.getenv("NO_COLOR");
        return System.console() != null && (noColor == null || noColor.isEmpty());
    }

    static void printTable(PrintWriter out, HostReport report, boolean colour) {
        int titleWidth = "CHECK".length();
        for (Check c : report.checks()) {
            titleWidth = Math.max(titleWidth, c.title().length());
        }
        String fmt = "  %-7s  %-" + titleWidth + "s  %s%n";
        out.printf(fmt, "VERDICT", "CHECK", "DETAIL");
        String indent = " ".repeat(2 + 7 + 2 + titleWidth + 2);
        for (Check c : report.checks()) {
            String verdict = String.format("%-7s", c.verdict().name());
            out.printf(fmt, colour ? paint(c.verdict(), verdict) : verdict, c.title(), c.detail());
            if (c.fix() != null && c.verdict() != Verdict.PASS) {
                out.println(indent + "fix: " + c.fix());
            }
        }
        out.println();
        boolean ok = report.recommendation().kvmUsable();
        String head = "Recommendation: -accel " + report.recommendation().accelerator()
                + (ok ? " (KVM usable for guests)" : " (KVM not usable for guests)");
        out.println(colour ? paint(ok ? Verdict.PASS : Verdict.WARN, head) : head);
        out.println("  " + report.recommendation().reason());
        out.printf("  %d pass, %d warn, %d fail, %d info%n", report.count(Verdict.PASS), report.count(Verdict.WARN),
                report.count(Verdict.FAIL), report.count(Verdict.INFO));
    }

    private static String paint(Verdict v, String s) {
        String code;
        switch (v) {
            case PASS: code = "32"; break;
            case WARN: code = "33"; break;
            case FAIL: code = "31"; break;
            default: code = "36"; break;
        }
        return "\u001b[" + code + "m" + s + "\u001b[0m";
    }
}
