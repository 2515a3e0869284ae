package io.kvmj.core.qemu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvmj.core.model.Accelerator;
import io.kvmj.core.model.CpuModel;
import io.kvmj.core.model.GuestSpec;
import io.kvmj.core.model.InvalidSpecException;
import io.kvmj.core.model.VncSpec;
import io.kvmj.core.spec.GuestSpecJson;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A VNC password given as text never reaches QEMU's command line, a spec's JSON or its toString; {@code -cpu host}
 * is refused under TCG (issue 14).
 */
class VncPasswordAndCpuTest {
    private static final String SECRET = "Pw-0f-Kvmj";

    private static List<String> argv(GuestSpec s) {
        return QemuCommandLine.renderDefault(s).argv();
    }

    @Test
    void aTextPasswordIsReadFromTheFileTheLauncherWrites() {
        Path file = Path.of("/run/user/1000/kvmj/g/vnc.secret");
        GuestSpec s = GuestSpec.builder("g").vnc(VncSpec.anyAddress(2).withPassword(SECRET).withPasswordFile(file))
                .build();
        List<String> a = argv(s); // the file need not exist yet: the launcher writes it at launch
        assertTrue(a.contains("secret,id=vnc-secret,file=" + file + ",format=raw"), a.toString());
        assertTrue(a.contains("0.0.0.0:2,password-secret=vnc-secret"), a.toString());
        assertFalse(String.join(" ", a).contains(SECRET), a.toString());
    }

    @Test
    void aTextPasswordWithoutAFileIsRefusedNotRendered() {
        GuestSpec s = GuestSpec.builder("g").vnc(VncSpec.anyAddress(2).withPassword(SECRET)).build();
        InvalidSpecException e = assertThrows(InvalidSpecException.class, () -> argv(s));
        assertFalse(e.getMessage().contains(SECRET), e.getMessage());
    }

    @Test
    void thePasswordIsNeitherInTheSpecJsonNorInToString() {
        GuestSpec s = GuestSpec.builder("g").vnc(VncSpec.anyAddress(2).withPassword(SECRET)).build();
        String json = GuestSpecJson.write(s);
        assertFalse(json.contains(SECRET), json);
        assertTrue(json.contains("\"host\" : \"0.0.0.0\""), json);
        assertEquals(null, GuestSpecJson.read(json).vnc().password());
        assertFalse(s.toString().contains(SECRET), s.toString());
        assertFalse(s.vnc().toString().contains(SECRET));
        // a file is a name, not the secret: it is kept
        GuestSpec f = GuestSpec.builder("g").vnc(VncSpec.anyAddress(2).withPasswordFile(Path.of("/etc/vnc.pw"))).build();
        assertEquals(Path.of("/etc/vnc.pw"), GuestSpecJson.read(GuestSpecJson.write(f)).vnc().passwordFile());
    }

    @Test
    void emptyOrMultiLinePasswordsAreRefused() {
        assertThrows(InvalidSpecException.class, () -> VncSpec.loopback(0).withPassword(""));
        InvalidSpecException e = assertThrows(InvalidSpecException.class,
                () -> VncSpec.loopback(0).withPassword("a\n" + SECRET));
        assertFalse(e.getMessage().contains(SECRET), e.getMessage());
    }

    @Test
    void cpuHostIsRefusedUnderTcgAndRenderedUnderKvm() {
        InvalidSpecException e = assertThrows(InvalidSpecException.class,
                () -> argv(GuestSpec.builder("g").accelerator(Accelerator.TCG).cpu(CpuModel.host()).build()));
        assertEquals("cpu", e.field());
        assertTrue(e.getMessage().contains("max"), e.getMessage());
        List<String> kvm = argv(GuestSpec.builder("g").accelerator(Accelerator.KVM).cpu(CpuModel.host()).build());
        assertEquals("host", kvm.get(kvm.indexOf("-cpu") + 1));
        List<String> tcg = argv(GuestSpec.builder("g").accelerator(Accelerator.TCG).cpu(CpuModel.named("Skylake-Client"))
                .build());
        assertEquals("Skylake-Client", tcg.get(tcg.indexOf("-cpu") + 1));
    }
}
