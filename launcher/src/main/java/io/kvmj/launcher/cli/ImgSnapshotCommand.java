package io.kvmj.launcher.cli;

import io.kvmj.core.image.QemuImg;
import io.kvmj.core.image.SnapshotInfo;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code kvmj img snapshot (-c|-a|-d NAME | -l) FILE}: internal qcow2 snapshots of a stopped image. */
@Command(name = "snapshot", mixinStandardHelpOptions = true,
    description = "Create, list, apply (roll back to) or delete internal snapshots of a qcow2 image not in use.")
public final class ImgSnapshotCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @ParentCommand
    ImgCommand parent;

    /** Exactly one action. */
    static final class Action {
        @Option(names = {"-c", "--create"}, paramLabel = "NAME", description = "Create a snapshot.")
        String create;

        @Option(names = {"-l", "--list"}, description = "List snapshots.")
        boolean list;

        @Option(names = {"-a", "--apply"}, paramLabel = "NAME", description = "Revert the image to a snapshot.")
        String apply;

        @Option(names = {"-d", "--delete"}, paramLabel = "NAME", description = "Delete a snapshot.")
        String delete;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Action action;

    @Parameters(paramLabel = "FILE", converter = ExistingPath.class)
    Path file;

    @Option(names = "--json", description = "Print the snapshot list as JSON.")
    boolean json;

    @Override
    public Integer call() {
        return ImgSupport.run(spec, () -> {
            QemuImg img = parent.qemuImg();
            PrintWriter out = spec.commandLine().getOut();
            if (action.create != null) {
                img.snapshotCreate(file, action.create);
            } else if (action.apply != null) {
                img.snapshotApply(file, action.apply);
            } else if (action.delete != null) {
                img.snapshotDelete(file, action.delete);
            }
            List<SnapshotInfo> list = img.snapshots(file);
            if (json) {
                ImgSupport.printJson(spec, list);
            } else if (action.list) {
                out.printf("%-4s %-24s %-25s %s%n", "ID", "NAME", "DATE", "VM STATE");
                for (SnapshotInfo s : list) {
                    out.printf("%-4s %-24s %-25s %d%n", s.id(), s.name(), s.date(), s.vmStateSize());
                }
            } else {
                String what = action.create != null ? "created " + action.create
                    : action.apply != null ? "applied " + action.apply : "deleted " + action.delete;
                out.println(file + ": " + what + " (" + list.size() + " snapshot(s) now)");
            }
            return 0;
        });
    }
}
