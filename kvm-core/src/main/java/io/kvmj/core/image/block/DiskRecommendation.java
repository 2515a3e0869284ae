package io.kvmj.core.image.block;

import io.kvmj.core.qemu.QemuOpts;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * How to attach a disk to QEMU, with the reason. For host block devices: the {@code host_device} driver,
 * {@code cache=none} (O_DIRECT, no double caching in the host page cache, no data loss on host power failure
 * after the guest flushed) and {@code aio=native} (Linux AIO, which needs O_DIRECT).
 *
 * @param driver      QEMU protocol driver: {@code host_device} or {@code file}
 * @param path        the path to give QEMU
 * @param cache       {@code none} or {@code writeback}
 * @param cacheDirect whether {@code cache.direct=on} (implied by cache=none)
 * @param aio         {@code native} or {@code threads}
 * @param reason      why
 */
public record DiskRecommendation(String driver, Path path, String cache, boolean cacheDirect, String aio, String reason) {

    static DiskRecommendation forBlockDevice(BlockDevice d) {
        return new DiskRecommendation("host_device", d.path(), "none", true, "native",
            d.kind() + " " + d.device() + ": block devices bypass the host page cache (cache=none) and use"
                + " Linux native AIO (aio=native)");
    }

    /** For an image file, probing whether its filesystem supports O_DIRECT. */
    public static DiskRecommendation forFile(Path file) {
        return forFile(file, supportsDirectIo(file));
    }

    /**
     * True if files in the directory of {@code file} (or {@code file} itself if it exists) can be opened with
     * O_DIRECT, which cache=none needs. tmpfs, for one, refuses it.
     */
    public static boolean supportsDirectIo(Path file) {
        // one O_DIRECT probe for the whole project: the one the argv renderer validates cache modes with
        io.kvmj.core.qemu.HostEnvironment host = io.kvmj.core.qemu.HostEnvironment.system();
        if (java.nio.file.Files.isRegularFile(file)) {
            return host.supportsDirectIo(file);
        }
        Path dir = file.toAbsolutePath().getParent();
        return dir != null && host.supportsDirectIo(dir);
    }

    /** For an image file: cache=none if the filesystem supports O_DIRECT, else writeback. */
    public static DiskRecommendation forFile(Path file, boolean directIoSupported) {
        if (directIoSupported) {
            return new DiskRecommendation("file", file, "none", true, "threads",
                "the filesystem supports O_DIRECT: cache=none avoids double caching; aio=threads because"
                    + " allocating writes to image files can block native AIO");
        }
        return new DiskRecommendation("file", file, "writeback", false, "threads",
            "the filesystem does not support O_DIRECT (e.g. tmpfs), so cache=none would fail");
    }

    /**
     * The {@code -blockdev} protocol-node argument for QEMU, commas in the path escaped, e.g.
     * {@code driver=host_device,node-name=d0,filename=/dev/vg/lv,cache.direct=on,aio=native}.
     */
    public String blockdevArg(String nodeName, boolean readOnly) {
        return String.join(",", protocolOptions("", nodeName, readOnly));
    }

    /**
     * A {@code -blockdev} argument for a format node (e.g. {@code qcow2} or {@code raw}) on top of this
     * protocol, in one string: {@code driver=qcow2,node-name=N,file.driver=host_device,file.filename=...}.
     * Only a format node (or a device) takes QEMU's image locks; a bare protocol node does not.
     */
    public String formatBlockdevArg(String format, String nodeName, boolean readOnly) {
        List<String> o = new ArrayList<>();
        o.add("driver=" + format);
        o.add("node-name=" + nodeName);
        if (readOnly) {
            o.add("read-only=on");
        }
        o.addAll(protocolOptions("file.", null, readOnly));
        return String.join(",", o);
    }

    private List<String> protocolOptions(String prefix, String nodeName, boolean readOnly) {
        List<String> o = new ArrayList<>();
        o.add(prefix + "driver=" + driver);
        if (nodeName != null) {
            o.add(prefix + "node-name=" + nodeName);
        }
        o.add(prefix + "filename=" + QemuOpts.escape(prefix + "filename", path.toString()));
        o.add(prefix + "cache.direct=" + (cacheDirect ? "on" : "off"));
        o.add(prefix + "aio=" + aio);
        if (readOnly) {
            o.add(prefix + "read-only=on");
        }
        return o;
    }
}
