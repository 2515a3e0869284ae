package io.kvmj.launcher.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine;

/**
 * The training run for kvmj's class-data-sharing archive: runs the short commands whose start time matters
 * ({@code --version}, {@code list}, {@code check}, every command's {@code --help}) in one JVM with their output
 * discarded, so that {@code -XX:DumpLoadedClassList} lists the classes they load. Nothing on the host is changed:
 * {@code list} looks at a runtime directory of its own, empty and then with a stand-in running guest
 * ({@link CdsTrainingGuest}: a {@code sleep} child and a scripted QMP socket), {@code check} skips the KVM_RUN smoke
 * test. The {@code ./kvmj} wrapper runs it once per built jar and JVM:
 *
 * <pre>
 * java -XX:DumpLoadedClassList=kvmj.classlist -cp kvmj.jar io.kvmj.launcher.cli.CdsTraining
 * java -Xshare:dump -XX:SharedClassListFile=kvmj.classlist -XX:SharedArchiveFile=kvmj.jsa -cp kvmj.jar
 * java -XX:SharedArchiveFile=kvmj.jsa -jar kvmj.jar list
 * </pre>
 */
public final class CdsTraining {
    private CdsTraining() {}

    /** Runs the training commands (no arguments; nothing is printed). */
    public static void main(String[] args) throws IOException {
        Path runtime = Files.createTempDirectory("kvmj-cds-");
        System.setProperty("kvmj.runtime.dir", runtime.toString());
        try {
            for (List<String> cmd : List.of(List.of("--version"), List.of("list"), List.of("list", "--json"),
                    List.of("check", "--no-run-test"), List.of("check", "--no-run-test", "--json"), List.of("--help"),
                    List.of("lst"))) {
                run(cmd.toArray(String[]::new));
            }
            // kvmj list as it runs (without picocli), with no guests and with one running (a stand-in)
            for (String[] list : new String[][] {{"list"}, {"list", "--json"}, {"list", "--name"}}) {
                listWithoutPicocli(list);
            }
            try (CdsTrainingGuest g = CdsTrainingGuest.start(runtime.resolve("cds-guest"))) {
                for (String[] list : new String[][] {{"list"}, {"list", "--json"}}) {
                    listWithoutPicocli(list);
                }
            } catch (IOException | RuntimeException e) {
                // no sh here: the archive covers the list without guests only
            }
            for (String sub : Main.commandLine().getSubcommands().keySet()) {
                run(sub, "--help");
                run(sub, "--bogus-option");
            }
        } finally {
            deleteTree(runtime);
        }
    }

    private static void listWithoutPicocli(String... args) {
        PrintWriter nowhere = new PrintWriter(Writer.nullWriter());
        Main.listWithoutPicocli(args, nowhere, nowhere);
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (java.util.stream.Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static void run(String... args) {
        CommandLine cl = Main.commandLine(args);
        PrintWriter nowhere = new PrintWriter(Writer.nullWriter());
        cl.setOut(nowhere);
        cl.setErr(nowhere);
        try {
            Main.execute(cl, args);
        } catch (RuntimeException | LinkageError e) {
            // a command that cannot run here still loaded its classes
        }
    }
}
