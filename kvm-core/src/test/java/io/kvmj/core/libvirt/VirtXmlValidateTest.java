package io.kvmj.core.libvirt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvmj.core.model.Accelerator;
import io.kvmj.core.model.GuestSpec;
import io.kvmj.core.spec.SpecGenerator;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** libvirt's own schema check ({@code virt-xml-validate}, package libvirt-clients + libxml2-utils) on exported XML. */
class VirtXmlValidateTest {
    @TempDir
    Path dir;

    @Test
    void everyExportedDocumentValidatesAgainstLibvirtsSchema() throws Exception {
        assertTrue(Files.isExecutable(Path.of("/usr/bin/virt-xml-validate")) && Files.isExecutable(Path.of("/usr/bin/xmllint")),
                "virt-xml-validate and xmllint are needed: scripts/bootstrap --tests installs libvirt-clients and libxml2-utils");
        for (long seed = 0; seed < 120; seed++) {
            GuestSpec s = new SpecGenerator(seed, seed % 3 == 0).next();
            Path f = dir.resolve("d" + seed + ".xml");
            Files.writeString(f, DomainXml.export(s, seed % 2 == 0 ? Accelerator.KVM : Accelerator.TCG).xml());
            Process p = new ProcessBuilder("virt-xml-validate", f.toString(), "domain").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, p.waitFor(), "seed " + seed + ": " + out + "\n" + Files.readString(f));
            assertTrue(out.contains("validates"), out);
        }
    }
}
