package io.kvmj.core.libvirt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvmj.core.model.Accelerator;
import io.kvmj.core.model.GuestSpec;
import io.kvmj.core.spec.GuestSpecJson;
import io.kvmj.core.spec.SpecGenerator;
import org.junit.jupiter.api.Test;

/** Property test: spec → domain XML → spec is exact, with and without kvmj's metadata. */
class DomainXmlRoundTripTest {
    static final int N = 400;

    @Test
    void everyGeneratedSpecComesBackExactlyThroughItsXml() {
        for (long seed = 0; seed < N; seed++) {
            GuestSpec s = new SpecGenerator(seed, false).next();
            DomainExport x = DomainXml.export(s, Accelerator.TCG);
            DomainImport back = DomainXml.importXml(x.xml());
            assertEquals(GuestSpecJson.write(s), GuestSpecJson.write(back.spec()), "seed " + seed + "\n" + x.xml());
            assertEquals(s, back.spec());
            assertEquals(java.util.List.of(), back.notImported().stream().filter(n -> !n.what().startsWith("unsafe: imported as a disposable"))
                    .toList(), "seed " + seed + "\n" + x.xml());
        }
    }

    @Test
    void withoutMetadataTheXmlAloneCarriesEverythingLibvirtExpresses() {
        for (long seed = 0; seed < N; seed++) {
            GuestSpec s = new SpecGenerator(seed, true).next();
            String xml = DomainXml.export(s, Accelerator.TCG).xml();
            String stripped = xml.replaceAll("(?s)<metadata>.*</metadata>", "");
            assertTrue(!stripped.contains("kvmj:spec"));
            DomainImport back = DomainXml.importXml(stripped);
            assertEquals(GuestSpecJson.write(s), GuestSpecJson.write(back.spec()), "seed " + seed + "\n" + stripped);
            assertEquals(java.util.List.of(), back.notImported().stream().filter(n -> !n.what().startsWith("unsafe: imported as a disposable"))
                    .toList(), "seed " + seed + "\n" + stripped);
        }
    }
}
