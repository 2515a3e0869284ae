package io.kvmj.launcher.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DemoQemuArgsTest {
    @Test
    void argvWiresDiskShareKernelAndEscapesCommas() {
        DemoExpectations exp = new DemoExpectations("p", 4096, "kvmjshare", "f", "c");
        Path work = Path.of("/tmp/a,b");
        PreparedDemo d = new PreparedDemo(work, new GuestKernel(Path.of("/k/vmlinuz"), Optional.empty(),
            GuestKernel.Source.OPTION, ModuleSet.builtInOnly("x")), new BusyboxLocator.Busybox(Path.of("/bin/busybox"),
            "host"), work.resolve("initrd.img"), work.resolve("scratch.qcow2"),
            new DiskCacheMode("writeback", "tmpfs"), work.resolve("share"),
            new AcceleratorChoice(false, "tcg", "test"), exp, false);
        List<String> a = DemoQemuArgs.argv(d);
        assertEquals("qemu-system-x86_64", a.get(0));
        assertEquals("tcg", a.get(a.indexOf("-accel") + 1));
        assertEquals("max", a.get(a.indexOf("-cpu") + 1));
        assertTrue(a.contains("-no-reboot"));
        assertEquals("file=/tmp/a,,b/scratch.qcow2,if=none,id=scratch,format=qcow2,cache=writeback",
            a.get(a.indexOf("-drive") + 1));
        assertEquals("local,id=share,path=/tmp/a,,b/share,security_model=mapped-xattr", a.get(a.indexOf("-fsdev") + 1));
        assertTrue(a.get(a.indexOf("-append") + 1).contains("console=ttyS0") && a.get(a.indexOf("-append") + 1)
            .endsWith(exp.kernelParameters()));
    }

    @Test
    void shellQuotingIsCopyPasteable() {
        assertEquals("qemu -append 'console=ttyS0 quiet' -x 'it'\\''s'",
            QemuDemoProcess.shellQuoted(List.of("qemu", "-append", "console=ttyS0 quiet", "-x", "it's")));
    }
}
