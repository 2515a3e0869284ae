package io.kvmj.launcher.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kvmj.core.libvirt.DomainExport;
import io.kvmj.core.libvirt.DomainXml;
import io.kvmj.core.libvirt.LibvirtNote;
import io.kvmj.core.libvirt.LibvirtRefusedException;
import io.kvmj.core.model.Accelerator;
import io.kvmj.core.model.GuestSpec;
import io.kvmj.core.model.InvalidSpecException;
import io.kvmj.launcher.AcceleratorPolicy;
import io.kvmj.launcher.GuestException;
import io.kvmj.launcher.GuestInfo;
import io.kvmj.launcher.GuestRegistry;
import io.kvmj.launcher.SpecFile;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code kvmj export --spec vm.json --format libvirt > vm.xml}: a kvmj guest as libvirt domain XML
 * ({@code virsh define vm.xml}). What libvirt cannot express is refused (exit 2, every reason listed) or listed on
 * stderr as a note.
 */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = {"Write a kvmj guest spec in another tool's format (libvirt domain XML).",
            "The spec comes from a running guest NAME (the spec it was launched from) or from --spec FILE (a spec, or "
                + "the output of 'kvmj run ... --dry-run --json'; - = stdin).",
            "Refused (exit 2) when libvirt cannot run the guest as kvmj would; otherwise what libvirt does not carry "
                + "out is listed on stderr (and under \"notes\" with --json). The whole kvmj spec rides along in "
                + "<metadata>, so 'kvmj import libvirt' gives it back."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:written", "2:bad usage, unreadable spec, or refused"})
public final class ExportCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(arity = "0..1", paramLabel = "NAME", description = "A guest kvmj runs: the spec it was "
            + "launched from (spec.json in its runtime directory).")
    String name;

    @Option(names = "--spec", paramLabel = "FILE", description = "kvmj spec file (- = stdin).")
    String specFile;

    @Option(names = "--format", required = true, description = "Output format: libvirt.")
    String format;

    @Option(names = "--accel", defaultValue = "auto", description = "Domain type for an 'auto' spec: kvm, tcg, or auto "
            + "(default: what 'kvmj check' recommends on this host).")
    String accel;

    @Option(names = "--json", description = "Print {\"format\", \"xml\", \"notes\":[{where, what}]}.")
    boolean json;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (!format.equalsIgnoreCase("libvirt")) {
            return usage(err, "--format: '" + format + "' is not known (libvirt)");
        }
        if ((name == null) == (specFile == null)) {
            return usage(err, "give either NAME or --spec FILE");
        }
        GuestSpec guest;
        try {
            guest = name != null ? recorded(name) : SpecFiles.read(specFile);
        } catch (IllegalArgumentException e) {
            return usage(err, e.getMessage());
        } catch (GuestException e) {
            err.println("kvmj export: " + e.getMessage());
            err.flush();
            return ExitCodes.FAILED;
        } catch (IOException e) {
            return usage(err, "--spec: cannot read " + specFile + ": " + e.getMessage());
        } catch (InvalidSpecException e) {
            return usage(err, "--spec " + specFile + ": " + e.getMessage());
        }
        Accelerator auto;
        switch (accel.toLowerCase(Locale.ROOT)) {
            case "kvm" -> auto = Accelerator.KVM;
            case "tcg" -> auto = Accelerator.TCG;
            case "auto" -> auto = guest.accelerator() != Accelerator.AUTO ? Accelerator.TCG
                    : "kvm".equals(AcceleratorPolicy.probing().choose(Accelerator.AUTO).accelerator()) ? Accelerator.KVM : Accelerator.TCG;
            default -> {
                return usage(err, "--accel: '" + accel + "' is not kvm, tcg or auto");
            }
        }
        DomainExport x;
        try {
            x = DomainXml.export(guest, auto);
        } catch (LibvirtRefusedException e) {
            if (json) {
                ObjectNode o = Json.object().put("error", "refused");
                notes(o.putArray("refusals"), e.refusals());
                out.println(Json.pretty(o));
                out.flush();
            }
            err.println("kvmj export: libvirt cannot run this guest as kvmj would:");
            e.refusals().forEach(n -> err.println("  " + n));
            err.flush();
            return ExitCodes.USAGE;
        }
        if (json) {
            ObjectNode o = Json.object().put("format", "libvirt").put("xml", x.xml());
            notes(o.putArray("notes"), x.notes());
            out.println(Json.pretty(o));
        } else {
            out.print(x.xml());
            x.notes().forEach(n -> err.println("note: " + n));
        }
        out.flush();
        err.flush();
        return ExitCodes.OK;
    }

    /** The spec guest {@code name} was launched from; a usage error when there is no such guest or no record. */
    private static GuestSpec recorded(String name) {
        GuestInfo g = GuestRegistry.require(name); // IllegalArgumentException / GuestException: named, one line
        return SpecFile.read(g.runtimeDir()).orElseThrow(() -> new IllegalArgumentException("guest '" + name
                + "' has no recorded spec (" + SpecFile.NAME + "; it was launched from a raw argv): use --spec FILE"));
    }

    static void notes(ArrayNode a, List<LibvirtNote> notes) {
        for (LibvirtNote n : notes) {
            a.addObject().put("where", n.where()).put("what", n.what());
        }
    }

    private static int usage(PrintWriter err, String msg) {
        err.println("kvmj export: " + msg);
        err.flush();
        return ExitCodes.USAGE;
    }
}
