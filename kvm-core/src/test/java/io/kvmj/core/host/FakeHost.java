package io.kvmj.core.host;

import io.kvmj.core.kvm.KvmRunSmokeTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds a fake host tree (/proc, /sys, /dev, /etc) in a temporary directory. */
final class FakeHost {
    final Path root;
    private final List<String> mounts = new ArrayList<>();

    FakeHost(Path root) {
        this.root = root;
        mounts.add("proc /proc proc rw,nosuid,nodev,noexec,relatime 0 0");
        mounts.add("sysfs /sys sysfs rw,nosuid,nodev,noexec,relatime 0 0");
        write("/proc/mounts", String.join("\n", mounts) + "\n");
        user(0, 0);
        write("/etc/passwd", "root:x:0:0:root:/root:/bin/bash\nalice:x:1000:1000::/home/alice:/bin/bash\n");
        write("/etc/group", "root:x:0:\nalice:x:1000:\n");
    }

    HostRoot hostRoot() {
        return new HostRoot(root);
    }

    FakeHost write(String absolute, String content) {
        try {
            Path p = root.resolve(absolute.substring(1));
            Files.createDirectories(p.getParent());
            Files.writeString(p, content);
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    FakeHost cpu(String vendor, String model, int cpus, String flags, String vmxFlags) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < cpus; i++) {
            sb.append("processor\t: ").append(i).append('\n')
                    .append("vendor_id\t: ").append(vendor).append('\n')
                    .append("model name\t: ").append(model).append('\n')
                    .append("flags\t\t: ").append(flags).append('\n');
            if (vmxFlags != null) {
                sb.append("vmx flags\t: ").append(vmxFlags).append('\n');
            }
            sb.append('\n');
        }
        return write("/proc/cpuinfo", sb.toString());
    }

    FakeHost module(String name, String... params) {
        write("/sys/module/" + name + "/refcnt", "0");
        for (int i = 0; i + 1 < params.length; i += 2) {
            write("/sys/module/" + name + "/parameters/" + params[i], params[i + 1] + "\n");
        }
        return this;
    }

    FakeHost hugepages(long sizeKb, long total, long free, long reserved, long surplus) {
        String d = "/sys/kernel/mm/hugepages/hugepages-" + sizeKb + "kB/";
        write(d + "nr_hugepages", total + "\n");
        write(d + "free_hugepages", free + "\n");
        write(d + "resv_hugepages", reserved + "\n");
        write(d + "surplus_hugepages", surplus + "\n");
        return this;
    }

    FakeHost thp(String enabled, String defrag) {
        write("/sys/kernel/mm/transparent_hugepage/enabled", enabled + "\n");
        return write("/sys/kernel/mm/transparent_hugepage/defrag", defrag + "\n");
    }

    FakeHost ksm(int run, long sharing) {
        write("/sys/kernel/mm/ksm/run", run + "\n");
        return write("/sys/kernel/mm/ksm/pages_sharing", sharing + "\n");
    }

    FakeHost mount(String line) {
        mounts.add(line);
        return write("/proc/mounts", String.join("\n", mounts) + "\n");
    }

    FakeHost iommuGroups(int n) {
        for (int i = 0; i < n; i++) {
            write("/sys/kernel/iommu_groups/" + i + "/type", "DMA\n");
        }
        return this;
    }

    FakeHost acpiTable(String name) {
        return write("/sys/firmware/acpi/tables/" + name, "x");
    }

    /** A device file with the given permissions (owned by whoever runs the test). */
    FakeHost device(String absolute, String perms) {
        write(absolute, "");
        try {
            Files.setPosixFilePermissions(root.resolve(absolute.substring(1)), PosixFilePermissions.fromString(perms));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    /** The numeric owner and group of a fake file. */
    int[] owner(String absolute) {
        try {
            Path p = root.resolve(absolute.substring(1));
            return new int[] {(Integer) Files.getAttribute(p, "unix:uid"), (Integer) Files.getAttribute(p, "unix:gid")};
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    FakeHost user(int uid, int gid, int... groups) {
        StringBuilder g = new StringBuilder();
        for (int x : groups) {
            g.append(x).append(' ');
        }
        return write("/proc/self/status", "Name:\tjava\nUid:\t" + uid + "\t" + uid + "\t" + uid + "\t" + uid
                + "\nGid:\t" + gid + "\t" + gid + "\t" + gid + "\t" + gid + "\nGroups:\t" + g.toString().trim() + "\n");
    }

    /** A recorded /dev/kvm that answers like a working kernel. */
    static KvmDeviceProbe workingKvm(String vendor, boolean smokePassed) {
        Map<String, Object> caps = new LinkedHashMap<>();
        caps.put("KVM_CAP_IRQCHIP", true);
        caps.put("KVM_CAP_USER_MEMORY", true);
        caps.put("KVM_CAP_EXT_CPUID", true);
        caps.put("KVM_CAP_NR_VCPUS", 8);
        caps.put("KVM_CAP_MAX_VCPUS", 1024);
        caps.put("KVM_CAP_MAX_VCPU_ID", 4096);
        caps.put("KVM_CAP_NR_MEMSLOTS", 32764);
        Map<String, Boolean> features = new LinkedHashMap<>();
        features.put("x2apic", true);
        features.put("avx2", true);
        KvmRunSmokeTest.Result smoke = smokePassed
                ? new KvmRunSmokeTest.Result(true, "KVMJ5", "KVM_EXIT_HLT", 5, "guest wrote \"KVMJ5\"")
                : new KvmRunSmokeTest.Result(false, "", "KVM_EXIT_SHUTDOWN", 0, "unexpected exit KVM_EXIT_SHUTDOWN");
        return path -> new KvmDeviceFacts("recorded", true, null, 12, caps, 12288, true, vendor, features, 60, 40,
                smoke, null, null);
    }

    /** A recorded /dev/kvm whose open(2) fails with {@code errno}. */
    static KvmDeviceProbe openFails(String errno, String message) {
        return path -> KvmDeviceFacts.openFailed("recorded", errno, "open(" + path + ") failed: " + message);
    }

    /** A probe that must not be called (no /dev/kvm). */
    static KvmDeviceProbe neverCalled() {
        return path -> {
            throw new AssertionError("probe called for " + path);
        };
    }
}
