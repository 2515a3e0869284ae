package io.kvmj.launcher.cli;

import io.kvmj.core.image.CheckRepair;
import io.kvmj.core.image.CheckResult;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code kvmj img check FILE}: consistency check; exit 1 if corruptions or leaks remain. */
@Command(name = "check", mixinStandardHelpOptions = true,
    description = "Check a qcow2 image for corruptions and leaked clusters, optionally repairing them.",
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:image is clean (after repair, if asked)", "1:problems remain or the check failed", "2:bad usage"})
public final class ImgCheckCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @ParentCommand
    ImgCommand parent;

    @Parameters(paramLabel = "FILE", converter = ExistingPath.class)
    Path file;

    @Option(names = {"-r", "--repair"}, paramLabel = "leaks|all", description = "Repair leaks only, or all errors.")
    String repair;

    @Option(names = "--json", description = "Print the result as JSON.")
    boolean json;

    @Override
    public Integer call() {
        return ImgSupport.run(spec, () -> {
            CheckRepair mode = repair == null ? CheckRepair.NONE : switch (repair.toLowerCase(Locale.ROOT)) {
                case "leaks" -> CheckRepair.LEAKS;
                case "all" -> CheckRepair.ALL;
                default -> throw new IllegalArgumentException("--repair must be leaks or all, not " + repair);
            };
            CheckResult r = parent.qemuImg().check(file, mode);
            if (json) {
                ImgSupport.printJson(spec, r);
            } else {
                PrintWriter out = spec.commandLine().getOut();
                out.println(file + ": " + (r.clean() ? "no errors" : "PROBLEMS FOUND"));
                out.println("  corruptions: " + r.corruptions() + (r.corruptionsFixed() > 0 ? " (fixed " + r.corruptionsFixed() + ")" : ""));
                out.println("  leaks:       " + r.leaks() + (r.leaksFixed() > 0 ? " (fixed " + r.leaksFixed() + ")" : ""));
                out.println("  allocated:   " + r.allocatedClusters() + "/" + r.totalClusters() + " clusters, "
                    + r.fragmentedClusters() + " fragmented, " + r.compressedClusters() + " compressed");
                if (!r.clean() && mode == CheckRepair.NONE) {
                    out.println("  repair with: kvmj img check --repair " + (r.corruptions() > 0 ? "all" : "leaks") + " " + file);
                }
            }
            return r.clean() ? 0 : 1;
        });
    }
}
