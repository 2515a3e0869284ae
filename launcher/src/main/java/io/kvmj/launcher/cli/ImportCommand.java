package io.kvmj.launcher.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kvmj.core.libvirt.DomainImport;
import io.kvmj.core.libvirt.DomainXml;
import io.kvmj.core.libvirt.LibvirtRefusedException;
import io.kvmj.core.spec.GuestSpecJson;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code kvmj import libvirt DOMAIN.xml > vm.json}: a libvirt domain ({@code virsh dumpxml}) as a kvmj spec
 * ({@code kvmj run --spec vm.json}). Elements and attributes kvmj does not model are listed on stderr.
 */
@Command(name = "import", mixinStandardHelpOptions = true,
        description = {"Read another tool's guest description as a kvmj spec (JSON, kvmjSpecVersion 1).",
            "FORMAT: libvirt (domain XML, e.g. from 'virsh dumpxml'). FILE - reads stdin.",
            "What kvmj does not model is listed on stderr as 'import: PATH: what happened' (under \"notImported\" with "
                + "--json, beside \"spec\")."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:imported (possibly with listed parts not imported)", "2:bad usage, unreadable file, or refused"})
public final class ImportCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FORMAT", description = "libvirt")
    String format;

    @Parameters(index = "1", paramLabel = "FILE", description = "Domain XML file, - for stdin.")
    String file;

    @Option(names = "--json", description = "Print {\"spec\":{...}, \"notImported\":[{where, what}]} "
            + "(kvmj run --spec accepts it as is).")
    boolean json;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (!format.equalsIgnoreCase("libvirt")) {
            err.println("kvmj import: FORMAT '" + format + "' is not known (libvirt)");
            err.flush();
            return ExitCodes.USAGE;
        }
        String xml;
        try {
            xml = SpecFiles.readText(file);
        } catch (IOException e) {
            err.println("kvmj import: cannot read " + file + ": " + e.getMessage());
            err.flush();
            return ExitCodes.USAGE;
        }
        DomainImport imp;
        try {
            imp = DomainXml.importXml(xml);
        } catch (LibvirtRefusedException e) {
            if (json) {
                ObjectNode o = Json.object().put("error", "refused");
                ExportCommand.notes(o.putArray("refusals"), e.refusals());
                out.println(Json.pretty(o));
                out.flush();
            }
            err.println("kvmj import: " + file + " cannot be a kvmj guest:");
            e.refusals().forEach(n -> err.println("  " + n));
            err.flush();
            return ExitCodes.USAGE;
        }
        if (json) {
            ObjectNode o = Json.object();
            o.set("spec", GuestSpecJson.toTree(imp.spec()));
            ExportCommand.notes(o.putArray("notImported"), imp.notImported());
            out.println(Json.pretty(o));
        } else {
            out.print(GuestSpecJson.write(imp.spec()));
        }
        imp.notImported().forEach(n -> err.println("import: " + n));
        out.flush();
        err.flush();
        return ExitCodes.OK;
    }
}
