package io.kvmj.core.libvirt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link DomainXml#diskBackup}: a push-mode {@code <domainbackup>} of one disk, the others left out. */
class DiskBackupXmlTest {
    @TempDir
    Path dir;

    @Test
    void onlyTheNamedDiskIsBackedUpIntoTheEscapedTarget() {
        String xml = DomainXml.diskBackup(List.of("vda", "vdb", "sda"), "vdb", "/vm/a&b's <1>.qcow2", "qcow2");
        assertTrue(xml.startsWith("<domainbackup>"), xml);
        assertTrue(xml.contains("<disk backup=\"no\" name=\"vda\"/>"), xml);
        assertTrue(xml.contains("<disk backup=\"no\" name=\"sda\"/>"), xml);
        assertTrue(xml.contains("<disk backup=\"yes\" name=\"vdb\" type=\"file\">"), xml);
        assertTrue(xml.contains("<target file=\"/vm/a&amp;b's &lt;1&gt;.qcow2\"/>"), "escaped by the DOM writer: " + xml);
        assertTrue(xml.contains("<driver type=\"qcow2\"/>"), xml);
        assertTrue(!xml.contains("<incremental"), "a full backup, no checkpoint: " + xml);
        assertEquals(3, xml.split("<disk ", -1).length - 1, xml);
    }

    @Test
    void aDiskTheDomainDoesNotHaveIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DomainXml.diskBackup(List.of("vda"), "vdz", "/vm/b.raw", "raw"));
        assertTrue(e.getMessage().contains("vdz"), e.getMessage());
    }

    @Test
    void theDocumentValidatesAgainstLibvirtsSchema() throws Exception {
        assertTrue(Files.isExecutable(Path.of("/usr/bin/virt-xml-validate")) && Files.isExecutable(Path.of("/usr/bin/xmllint")),
                "virt-xml-validate and xmllint are needed: scripts/bootstrap --tests installs libvirt-clients and libxml2-utils");
        for (String format : List.of("qcow2", "raw")) {
            Path f = Files.writeString(dir.resolve("backup-" + format + ".xml"),
                    DomainXml.diskBackup(List.of("vda", "vdb"), "vda", "/vm/vda-backup." + format, format));
            Process p = new ProcessBuilder("virt-xml-validate", f.toString(), "domainbackup").redirectErrorStream(true)
                    .start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, p.waitFor(), out + "\n" + Files.readString(f));
            assertTrue(out.contains("validates"), out);
        }
    }
}
