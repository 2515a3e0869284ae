package io.kvmj.junit5;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;

import io.kvmj.junit5.fixtures.MisconfiguredFixture;
import io.kvmj.core.model.GuestSpec;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.opentest4j.TestAbortedException;

/** Declaration errors and the missing-host policy, without booting anything. */
class KvmjGuestConfigTest {
    @Test
    void contradictoryOrWrongDeclarationsFailWithAClearMessage() {
        assertFails("specAndSupplier", "has both spec and specSupplier");
        assertFails("imageAndSpec", "has image = DEBIAN_12 and a spec factory");
        assertFails("noSuchFactory", "no static no-argument method nope()");
        assertFails("notAGuest", "must be of type io.kvmj.launcher.Guest");
    }

    private static void assertFails(String method, String message) {
        String name = method.equals("notAGuest") ? method + "(java.lang.String)"
                : method + "(io.kvmj.launcher.Guest)";
        var events = EngineTestKit.engine("junit-jupiter")
                .selectors(selectMethod(MisconfiguredFixture.class.getName() + "#" + name)).execute().testEvents();
        assertEquals(1, events.failed().count(), method);
        Throwable t = events.failed().stream().findFirst().orElseThrow().getPayload(TestExecutionResult.class)
                .orElseThrow().getThrowable().orElseThrow();
        assertTrue(String.valueOf(t.getMessage()).contains(message) || String.valueOf(t.getCause()).contains(message),
                method + ": " + t);
    }

    @Test
    void missingHostSkipsLocallyAndFailsUnderCi() {
        assertEquals(MissingHostPolicy.SKIP, MissingHostPolicy.of(null, Map.of()));
        assertEquals(MissingHostPolicy.FAIL, MissingHostPolicy.of(null, Map.of("CI", "true")));
        assertEquals(MissingHostPolicy.SKIP, MissingHostPolicy.of("skip", Map.of("CI", "true")));
        assertEquals(MissingHostPolicy.FAIL, MissingHostPolicy.of("fail", Map.of()));
        assertThrows(IllegalArgumentException.class, () -> MissingHostPolicy.of("maybe", Map.of()));
        assertInstanceOf(TestAbortedException.class, MissingHostPolicy.SKIP.exception("no qemu"));
        RuntimeException fail = MissingHostPolicy.FAIL.exception("no qemu");
        assertInstanceOf(GuestBootException.class, fail);
        assertTrue(fail.getMessage().contains("no qemu"), fail.getMessage());
    }

    @Test
    void namesAreUniqueValidRuntimeDirNames() {
        String a = GuestNames.next("Some Test.method(Guest)");
        String b = GuestNames.next("Some Test.method(Guest)");
        assertTrue(a.matches("[a-z0-9_][a-z0-9._-]{0,39}"), a);
        assertTrue(!a.equals(b), a + " " + b);
        assertTrue(GuestNames.next("..").startsWith("kvmj-"));
        io.kvmj.launcher.process.RuntimeDir.validateName(GuestNames.next("x".repeat(100)));
    }

    @Test
    void debian12IsASpecOnTheCachedBase() {
        GuestSpec spec = Debian12Image.spec("deb-1", Path.of("/cache/base.raw"));
        assertEquals("deb-1", spec.cloudInit().hostname());
        assertEquals(Debian12Image.ROOT_PASSWORD, spec.cloudInit().rootPassword());
        assertEquals(1, spec.disks().size());
        assertTrue(DiskOverlays.needsOverlay(spec.disks().get(0)), "the base is used through an overlay");
        assertTrue(Debian12Image.available());
    }
}
