package io.kvmj.launcher.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.kvmj.launcher.cli.CliProcess.Result;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code kvmj run --detach --cloud-init ...} as a process: the generated password is printed once on stderr and
 * nowhere else (not in stdout, the runtime directory's files other than the seed, or the log), the seed is attached.
 */
class CloudInitCliIT {
    static final String KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBjGKOr0ejQ+BMNfSU+BvOgtVAws34lBHsiviAyB0zt6 me@host";
    static Path runtime;
    static CliProcess cli;

    @BeforeAll
    static void setUp() throws IOException {
        cli = CliProcess.inTempRuntime("kvmj-ci-");
        runtime = cli.runtime();
    }

    @AfterAll
    static void tearDown() throws IOException {
        if (runtime != null && Files.isDirectory(runtime)) {
            try (var s = Files.walk(runtime)) {
                s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Test
    void generatedPasswordIsShownOnceAndTheSeedIsAttached() throws Exception {
        Path pub = Files.writeString(runtime.resolve("me.pub"), KEY + "\n");
        try {
            Result run = cli.run(90, "run", "--name", "ci-cli", "--paused", "--memory", "64", "--accel", "tcg",
                    "--detach", "--cloud-init", "root-password-generate=on,ssh-key=" + pub);
            assertEquals(0, run.exit(), run.toString());
            Matcher m = Pattern.compile("password for first root login is: ([A-Za-z0-9]{16}) ").matcher(run.err());
            assertTrue(m.find(), run.toString());
            String password = m.group(1);
            assertEquals(1, run.err().split(password, -1).length - 1, "printed once: " + run.err());
            assertFalse(run.out().contains(password), "not on stdout");

            Path dir = runtime.resolve("ci-cli");
            Path seed = dir.resolve("cidata.iso");
            assertTrue(Files.isRegularFile(seed));
            try (var files = Files.list(dir)) {
                for (Path f : files.toList()) {
                    if (Files.isRegularFile(f) && !f.equals(seed)) {
                        assertFalse(Files.readString(f, java.nio.charset.StandardCharsets.ISO_8859_1).contains(password),
                                "password leaked into " + f);
                    }
                }
            }

            Result qb = cli.run(30, "qmp", "ci-cli", "query-block");
            assertEquals(0, qb.exit(), qb.toString());
            JsonNode cd = null;
            for (JsonNode d : qb.json()) {
                if (d.path("qdev").asText().equals("cidata") || d.path("device").asText().equals("cidata")) {
                    cd = d;
                }
            }
            assertTrue(cd != null && cd.path("inserted").path("ro").asBoolean()
                    && cd.path("inserted").path("file").asText().equals(seed.toString()), qb.out());
        } finally {
            Result stop = cli.run(60, "stop", "ci-cli", "--force");
            assertEquals(0, stop.exit(), stop.toString());
        }
        assertFalse(Files.exists(runtime.resolve("ci-cli")), "stop removes the runtime directory and the seed");
    }
}
