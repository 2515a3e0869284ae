package io.kvmj.launcher.demo;

import io.kvmj.core.host.AccelRecommendation;
import io.kvmj.core.host.HostProbe;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * KVM-or-TCG decision for the demo guest: {@link HostProbe#probe()}'s recommendation (which also runs a KVM_RUN
 * smoke test), falling back to a minimal check (CPU advertises vmx or svm AND {@code /dev/kvm} is read-write)
 * when the probe itself cannot run.
 */
public final class AcceleratorSelector {
    private static final Logger LOG = LoggerFactory.getLogger(AcceleratorSelector.class);
    private static final Pattern VIRT_FLAG = Pattern.compile("(?m)^flags\\s*:.*\\b(vmx|svm)\\b");

    private AcceleratorSelector() {}

    /** Decides for this host. */
    public static AcceleratorChoice select() {
        try {
            AccelRecommendation r = HostProbe.probe().recommendation();
            return new AcceleratorChoice(r.kvmUsable(), r.accelerator(), r.reason());
        } catch (RuntimeException | LinkageError e) {
            LOG.warn("host probe failed ({}); using the minimal vmx/svm + /dev/kvm check", e.toString());
            return select(Path.of("/proc/cpuinfo"), Path.of("/dev/kvm"), Path.of("/sys/module"));
        }
    }

    static AcceleratorChoice select(Path cpuinfo, Path devKvm, Path sysModule) {
        String info;
        try {
            info = Files.readString(cpuinfo);
        } catch (IOException e) {
            info = "";
        }
        var m = VIRT_FLAG.matcher(info);
        boolean virt = m.find();
        boolean kvmRw = Files.exists(devKvm) && Files.isReadable(devKvm) && Files.isWritable(devKvm);
        if (virt && kvmRw) {
            return new AcceleratorChoice(true, "kvm",
                "CPU has " + m.group(1) + " and " + devKvm + " is read-write");
        }
        if (!Files.exists(devKvm)) {
            return new AcceleratorChoice(false, "tcg", devKvm + " does not exist (KVM module not loaded or no"
                + " hardware virtualisation): using TCG software emulation");
        }
        if (!virt) {
            String provider = Files.isDirectory(sysModule.resolve("kvm_pvm"))
                ? " (" + devKvm + " is served by kvm_pvm, which cannot run a Linux guest here)" : "";
            return new AcceleratorChoice(false, "tcg", devKvm + " exists but the CPU advertises neither vmx nor"
                + " svm" + provider + ": using TCG software emulation");
        }
        return new AcceleratorChoice(false, "tcg", devKvm + " is not read-write for this user (add yourself to"
            + " the kvm group): using TCG software emulation");
    }
}
