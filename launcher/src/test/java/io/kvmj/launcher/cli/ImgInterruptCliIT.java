package io.kvmj.launcher.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvmj.launcher.cli.CliProcess.Result;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Interrupted {@code img create}/{@code img convert} leave nothing behind: qemu-img is killed (no orphan finishing
 * its write), the unfinished file is removed and one line says so; racing creates of one file: exactly one wins.
 */
class ImgInterruptCliIT {
    static CliProcess cli;

    @TempDir
    Path dir;

    @BeforeAll
    static void setUp() throws IOException {
        CliProcess.requireImageTools();
        cli = CliProcess.require(Files.createTempDirectory(Path.of("/tmp"), "kvmj-img-"));
    }

    private List<Path> files() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        }
    }

    /** Processes whose command line mentions {@code dir} (a qemu-img left writing there). */
    private List<Long> writers() throws IOException {
        List<Long> out = new ArrayList<>();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path p : procs.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
                try {
                    String cmd = new String(Files.readAllBytes(p.resolve("cmdline"))).replace('\0', ' ');
                    if (cmd.contains(dir.toString()) && cmd.contains("qemu-img")) {
                        out.add(Long.parseLong(p.getFileName().toString()));
                    }
                } catch (IOException gone) {
                    // exited meanwhile
                }
            }
        }
        return out;
    }

    private Result interruptOnceWriting(String signal, String... args) throws Exception {
        Process p = cli.start(args);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (writers().isEmpty() && System.nanoTime() < deadline && p.isAlive()) {
            Thread.sleep(20);
        }
        Thread.sleep(300); // qemu-img has started writing
        assertTrue(p.isAlive(), "finished before it could be interrupted; make the job bigger");
        assertEquals(0, new ProcessBuilder("kill", "-" + signal, Long.toString(p.pid())).start().waitFor());
        return CliProcess.finish(p, 60, "kvmj " + String.join(" ", args));
    }

    @Test
    void interruptedFullPreallocationLeavesNoFile() throws Exception {
        Path img = dir.resolve("big.raw");
        Result r = interruptOnceWriting("INT", "img", "create", img.toString(), "64G", "-f", "raw",
                "--preallocation", "full");
        assertEquals(130, r.exit(), r.toString());
        assertTrue(r.err().contains("interrupted; removed the unfinished " + img), r.toString());
        assertEquals(List.of(), files(), "nothing may be left: " + r);
        Thread.sleep(500);
        assertEquals(List.of(), writers(), "qemu-img must not keep running");
        Result retry = cli.run(60, "img", "create", img.toString(), "1M", "-f", "raw");
        assertEquals(0, retry.exit(), retry.toString());
    }

    @Test
    void sigtermOnConvertKillsQemuImgAndRemovesTheTarget() throws Exception {
        Path src = dir.resolve("src.raw");
        assertEquals(0, cli.run(60, "img", "create", src.toString(), "64G", "-f", "raw").exit());
        Path dst = dir.resolve("dst.raw");
        Result r = interruptOnceWriting("TERM", "img", "convert", src.toString(), dst.toString(), "-O", "raw",
                "--preallocation", "full");
        assertEquals(143, r.exit(), r.toString());
        assertTrue(r.err().contains("interrupted; removed the unfinished " + dst), r.toString());
        Thread.sleep(500);
        assertEquals(List.of(), writers(), "qemu-img must not outlive the CLI");
        assertEquals(List.of(src), files());
    }

    @Test
    void convertOntoItselfSaysSo() throws Exception {
        Path src = dir.resolve("same.qcow2");
        assertEquals(0, cli.run(60, "img", "create", src.toString(), "1M").exit());
        Result r = cli.run(60, "img", "convert", src.toString(), src.toString(), "-O", "qcow2");
        assertEquals(2, r.exit(), r.toString());
        assertTrue(r.err().contains("source and target are the same"), r.toString());
    }

    @Test
    void racingCreatesOfOneFileHaveOneWinner() throws Exception {
        for (int round = 0; round < 4; round++) {
            Path img = dir.resolve("race" + round + ".qcow2");
            Process a = cli.start("img", "create", img.toString(), "1G", "-f", "qcow2");
            Process b = cli.start("img", "create", img.toString(), "1G", "-f", "raw");
            Result ra = CliProcess.finish(a, 60, "a");
            Result rb = CliProcess.finish(b, 60, "b");
            assertEquals(1, (ra.exit() == 0 ? 1 : 0) + (rb.exit() == 0 ? 1 : 0), ra + "\n" + rb);
            Result winner = ra.exit() == 0 ? ra : rb;
            Result loser = ra.exit() == 0 ? rb : ra;
            assertEquals(2, loser.exit(), loser.toString());
            Result info = cli.run(60, "img", "info", img.toString(), "--json");
            String fmt = winner == ra ? "qcow2" : "raw";
            assertEquals(fmt, info.json().path("format").asText(), info.toString());
        }
        assertEquals(4, files().size(), "no temporary files left: " + files());
    }
}
