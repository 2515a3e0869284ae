package io.kvmj.launcher.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvmj.core.libvirt.DomainXml;
import io.kvmj.core.model.Accelerator;
import io.kvmj.core.model.GuestSpec;
import io.kvmj.core.model.SerialSpec;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The runtime parts a libvirt-started guest gets; the spec in the metadata is unchanged by them. */
class DaemonDomainXmlTest {
    @Test
    void consoleAndAgentAreAddedOnlyWhenTheSpecHasNone() {
        GuestSpec bare = GuestSpec.builder("d1").memoryMiB(64).build();
        String exported = DomainXml.export(bare, Accelerator.TCG).xml();
        String x = DaemonDomainXml.withRuntimeParts(exported, false, false, null);
        assertTrue(x.contains(DaemonDomainXml.CONSOLE) && x.contains(DaemonDomainXml.AGENT), x);
        assertEquals(bare, DomainXml.importXml(x).spec(), "the runtime parts do not change the imported spec");
        String redefined = DaemonDomainXml.withRuntimeParts(exported, false, false, "351bb9a3-402c-40b1-a455-50305c8b7fa8");
        assertTrue(redefined.contains("</name><uuid>351bb9a3-402c-40b1-a455-50305c8b7fa8</uuid>"), redefined);

        GuestSpec withSerial = bare.toBuilder().serial(SerialSpec.file(Path.of("/tmp/c.log"))).build();
        String y = DaemonDomainXml.withRuntimeParts(DomainXml.export(withSerial, Accelerator.TCG).xml(), true, true, null);
        assertTrue(!y.contains("type='pty'") && !y.contains(DaemonDomainXml.AGENT) && !y.contains("<uuid>"), y);
    }

    @Test
    void theDomainNameIsTheRootsNameNotOneInsideTheMetadata() {
        GuestSpec g = GuestSpec.builder("a&b").memoryMiB(64).build();
        assertEquals("a&b", DaemonDomainXml.name(DomainXml.export(g, Accelerator.TCG).xml()));
        assertEquals("vm9", DaemonDomainXml.name("<domain type='qemu'><metadata><x><name>no</name></x></metadata>"
                + "<name>vm9</name></domain>"));
    }
}
