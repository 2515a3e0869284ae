package io.kvmj.launcher.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kvmj.core.image.ByteSize;
import io.kvmj.core.image.ImageFormat;
import io.kvmj.launcher.osimage.ImageBuildSpec;
import io.kvmj.launcher.osimage.RootPassword;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code kvmj img build}: option parsing into an {@link ImageBuildSpec}, and bad input refused with exit 2, no file. */
class ImgBuildCommandTest {
    private static final String KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBcvf6G2o1SMXW4pFj0Y8e8l6a0ZyYxk3R4nKqfA2o1x me@host";

    @TempDir
    Path dir;


    static InProcessCli.Run run(String... args) {
        return InProcessCli.run(args);
    }

    private static ImageBuildSpec parse(String... args) {
        CommandLine cl = Main.commandLine();
        CommandLine.ParseResult pr = cl.parseArgs(args);
        CommandLine.ParseResult sub = pr.subcommand().subcommand();
        return ((ImgBuildCommand) sub.commandSpec().userObject()).toSpec();
    }

    @Test
    void optionsBecomeASpec() throws Exception {
        Path pub = Files.writeString(dir.resolve("k.pub"), KEY + "\n");
        ImageBuildSpec s = parse("img", "build", "debian-12", "-o", "out.raw", "--size", "6G", "--format", "raw",
            "--install", "vim,curl", "--install", "jq", "--root-password", "password:pw", "--ssh-inject",
            "root:file:" + pub, "--hostname", "web1", "--run-command", "systemctl disable smbd", "--run-command",
            "echo 'a b' > /etc/motd");
        assertEquals(Path.of("out.raw"), s.output());
        assertEquals(ByteSize.ofGiB(6), s.size());
        assertEquals(ImageFormat.RAW, s.format());
        assertEquals(List.of("curl", "jq", "vim"), s.extraPackages());
        assertEquals("pw", s.rootPassword().resolve());
        assertEquals(KEY, s.sshKeys().get(0).keyLine());
        assertEquals("web1", s.hostname());
        assertEquals(List.of("systemctl disable smbd", "echo 'a b' > /etc/motd"), s.runCommands(), "in order, verbatim");
        ImageBuildSpec d = parse("img", "build", "debian-12", "-o", "x.qcow2");
        assertEquals(ImageBuildSpec.DEFAULT_SIZE, d.size());
        assertEquals(ImageFormat.QCOW2, d.format());
        assertEquals(RootPassword.Kind.RANDOM, d.rootPassword().kind());
        assertEquals(List.of(), d.runCommands());
    }

    @Test
    void badInputExitsTwoWithOneLineAndNoFile() throws Exception {
        Path out = dir.resolve("x.qcow2");
        List<List<String>> bad = List.of(
            List.of("ubuntu-24", "-o", out.toString()),
            List.of("debian-12", "-o", out.toString(), "--format", "vmdk"),
            List.of("debian-12", "-o", out.toString(), "--root-password", "hunter2"),
            List.of("debian-12", "-o", out.toString(), "--ssh-inject", "root"),
            List.of("debian-12", "-o", out.toString(), "--ssh-inject", "root:file:" + dir.resolve("missing.pub")),
            List.of("debian-12", "-o", out.toString(), "--hostname", "bad_name"),
            List.of("debian-12", "-o", out.toString(), "--install", "Bad Pkg"),
            List.of("debian-12", "-o", out.toString(), "--run-command", " "),
            List.of("debian-12", "-o", dir.resolve("no/such/dir/x.qcow2").toString()));
        for (List<String> args : bad) {
            String[] argv = java.util.stream.Stream.concat(java.util.stream.Stream.of("img", "build"), args.stream())
                .toArray(String[]::new);
            InProcessCli.Run r = run(argv);
            assertEquals(2, r.exit(), args + ": " + r.err());
            assertEquals(1, r.err().strip().lines().count(), args + ": " + r.err());
            assertTrue(r.err().startsWith("kvmj img build: "), r.err());
            assertTrue(!Files.exists(out), "no output for " + args);
        }
        InProcessCli.Run unknown = run("img", "build", "ubuntu-24", "-o", out.toString());
        assertTrue(unknown.err().contains("known: debian-12"), unknown.err());
    }

    @Test
    void existingOutputIsNotOverwritten() throws Exception {
        Path out = Files.writeString(dir.resolve("keep.qcow2"), "precious");
        InProcessCli.Run r = run("img", "build", "debian-12", "-o", out.toString(), "--json");
        assertEquals(2, r.exit(), r.err());
        assertTrue(r.err().contains("already exists; refusing to overwrite it"), r.err());
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertEquals(2, j.get("exitCode").asInt());
        assertTrue(j.get("error").asText().contains("already exists"), r.out());
        assertEquals("precious", Files.readString(out));
    }
}
