package io.kvmj.launcher.cloudinit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.kvmj.core.model.CloudInitSpec;
import io.kvmj.core.model.GuestSpec;
import io.kvmj.launcher.Guest;
import io.kvmj.launcher.LaunchOptions;
import io.kvmj.launcher.LaunchPlan;
import io.kvmj.launcher.Launcher;
import io.kvmj.launcher.testutil.Requirements;
import io.kvmj.launcher.testutil.TestRuntime;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A real (paused, TCG) q35 guest launched with a cloud-init spec: the seed is written into the runtime directory,
 * QEMU has it as a read-only CD-ROM ({@code query-block}), its label is {@code cidata}, and it goes with the guest.
 */
class CloudInitSeedIT {
    static final String KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBjGKOr0ejQ+BMNfSU+BvOgtVAws34lBHsiviAyB0zt6 me@host";
    static Launcher launcher;

    @BeforeAll
    static void setUp() {
        TestRuntime.use();
        IsoTools.require("blkid", "util-linux");
        IsoTools.require("bsdtar", "libarchive-tools");
        launcher = Launcher.create(LaunchOptions.defaults().withQemuBinary(Requirements.qemu().toString())
                .withReadyTimeout(Duration.ofSeconds(60)).withShutdownTimeout(Duration.ofSeconds(1)));
    }

    @Test
    void seedIsAttachedReadOnlyAsACdromAndRemovedWithTheGuest() throws Exception {
        CloudInitSpec ci = CloudInitSpec.builder().rootSshKey(KEY).rootPasswordGenerate(true).build();
        GuestSpec spec = GuestSpec.builder("ci-it").accelerator(io.kvmj.core.model.Accelerator.TCG).memoryMiB(64)
                .startPaused(true).cloudInit(ci).build();
        LaunchPlan plan = launcher.plan(spec);
        Path seed = plan.cloudInit().seed();
        assertTrue(plan.commandLine().contains(seed.toString()), plan.commandLine());
        assertFalse(Files.exists(seed), "planning writes nothing");

        Guest g = launcher.launch(plan);
        try {
            assertEquals(g.runtimeDir().path().toAbsolutePath().resolve("cidata.iso"), seed);
            assertTrue(Files.isRegularFile(seed));
            JsonNode cd = null;
            for (JsonNode dev : g.qmp().call("query-block")) {
                if ("cidata".equals(dev.path("qdev").asText()) || "cidata".equals(dev.path("device").asText())) {
                    cd = dev;
                }
            }
            assertNotNull(cd, "query-block lists the seed device");
            assertTrue(cd.path("removable").asBoolean(), "a CD-ROM is removable media: " + cd);
            JsonNode inserted = cd.path("inserted");
            assertTrue(inserted.path("ro").asBoolean(), "read-only: " + cd);
            assertEquals(seed.toString(), inserted.path("file").asText(), cd.toString());
            assertEquals("raw", inserted.path("drv").asText(), cd.toString());
            assertEquals("cidata-fmt", inserted.path("node-name").asText(), cd.toString());
            assertTrue(inserted.path("image").path("virtual-size").asLong() > 0, cd.toString());
            // the guest sees a SCSI CD-ROM drive on virtio-scsi (cloud kernels have no AHCI driver)
            JsonNode qom = g.qmp().call("qom-get", com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode()
                    .put("path", "/machine/peripheral/cidata").put("property", "type"));
            assertEquals("scsi-cd", qom.asText(), qom.toString());

            String blkid = IsoTools.run("blkid", "-p", "-o", "export", seed.toString());
            assertTrue(blkid.contains("LABEL=cidata\n") && blkid.contains("TYPE=iso9660\n"), blkid);
            String userData = CloudInitSeedTest.read(seed, "user-data");
            assertTrue(userData.contains(KEY) && userData.contains(ci.rootPassword()), "seed content as generated");
            assertTrue(CloudInitSeedTest.read(seed, "meta-data").contains("local-hostname: \"ci-it\""));

            var info = g.runtimeDir().record();
            assertEquals("root", info.cloudInitSshUser());
            assertEquals(seed.toString(), info.cloudInitSeed());
            assertFalse(Files.readString(g.runtimeDir().infoFile()).contains(ci.rootPassword()),
                    "the password is not recorded");
        } finally {
            g.close();
        }
        assertFalse(Files.exists(seed), "the seed goes with the runtime directory");
    }
}
