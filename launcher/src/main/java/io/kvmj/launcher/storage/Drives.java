package io.kvmj.launcher.storage;

import io.kvmj.qmp.QmpMonitor;
import io.kvmj.qmp.command.QomGet;
import io.kvmj.qmp.command.QueryBlock;
import io.kvmj.qmp.command.QueryNamedBlockNodes;
import io.kvmj.qmp.model.BlockDeviceInfo;
import io.kvmj.qmp.model.BlockInfo;
import io.kvmj.qmp.model.BlockdevCacheInfo;
import io.kvmj.qmp.model.ImageInfo;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * The drives of a running guest: {@code query-block} gives each device, its active node and the chain of image
 * files; {@code query-named-block-nodes} supplies the node names of the backing images (matched by file name and
 * format driver) and their protocol nodes. Lets callers address a drive by the id they gave it.
 */
public final class Drives {
    private static final Set<String> PROTOCOL_DRIVERS = Set.of("file", "host_device", "host_cdrom", "nbd", "nvme",
        "iscsi", "rbd", "ssh", "http", "https", "blkdebug", "null-co", "null-aio");
    private static final String PERIPHERAL = "/machine/peripheral/";

    private Drives() {}

    /** All drives of the guest behind {@code qmp}, in QEMU's order. */
    public static List<DriveInfo> query(QmpMonitor qmp) {
        List<BlockInfo> blocks = qmp.call(new QueryBlock());
        List<BlockDeviceInfo> nodes = qmp.call(QueryNamedBlockNodes.flatNodes());
        List<DriveInfo> out = new ArrayList<>();
        for (DriveInfo d : parse(blocks, nodes)) {
            out.add(d.cache() == null || d.qdev().isEmpty() ? d : d.withConfiguredCache(configured(qmp, d)));
        }
        return out;
    }

    /**
     * The configured cache mode: the host-side flags (direct, no-flush) with the device's {@code write-cache}
     * property ({@code off}: writethrough; {@code on}/{@code auto}: writeback), which the guest's driver may since
     * have changed in {@code query-block}. Null when QEMU cannot say.
     */
    private static CacheFlags configured(QmpMonitor qmp, DriveInfo d) {
        try {
            String wc = qmp.call(new QomGet(d.qdev(), "write-cache")).asText();
            return new CacheFlags(!"off".equals(wc), d.cache().direct(), d.cache().noFlush());
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** A valid QEMU node name: a letter, then up to 30 letters, digits, {@code -}, {@code _} or {@code .}. */
    public static final Pattern NODE_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_.-]{0,30}");

    /**
     * A node name for a new overlay: {@code DRIVE-snapN} with the first unused N, or {@code snapN} when the drive id
     * cannot prefix a node name (QEMU allows 31 characters, starting with a letter).
     */
    public static String newNodeName(String driveId, Collection<String> existing) {
        for (int n = 1; ; n++) {
            String candidate = driveId + "-snap" + n;
            if (!NODE_NAME.matcher(candidate).matches()) {
                candidate = "snap" + n;
            }
            if (!existing.contains(candidate)) {
                return candidate;
            }
        }
    }

    /** The names of all block nodes (including backup targets and implicit {@code #blockNNN} nodes). */
    public static Set<String> nodeNames(QmpMonitor qmp) {
        Set<String> names = new HashSet<>();
        for (BlockDeviceInfo n : qmp.call(QueryNamedBlockNodes.flatNodes())) {
            names.add(n.nodeName());
        }
        return names;
    }

    /**
     * The drive {@code name} refers to: a device id, legacy backend name, qdev path, or the name of any node in a
     * drive's chain (checked in that order across all drives).
     *
     * @throws UnknownDriveException listing the available drives when nothing matches
     */
    public static DriveInfo resolve(List<DriveInfo> drives, String name) {
        for (DriveInfo d : drives) {
            if (name.equals(d.id())) {
                return d;
            }
        }
        for (DriveInfo d : drives) {
            if (d.answersTo(name)) {
                return d;
            }
        }
        throw new UnknownDriveException(name, drives);
    }

    /** Builds drives from the replies of {@code query-block} and {@code query-named-block-nodes} (flat). */
    static List<DriveInfo> parse(List<BlockInfo> blocks, List<BlockDeviceInfo> nodes) {
        Set<String> used = new HashSet<>();
        List<DriveInfo> out = new ArrayList<>();
        for (BlockInfo b : blocks) {
            String device = Objects.requireNonNullElse(b.device(), "");
            String qdev = Objects.requireNonNullElse(b.qdev(), "");
            String id = deviceId(device, qdev);
            BlockDeviceInfo ins = b.inserted();
            if (ins == null) {
                out.add(new DriveInfo(id, device, qdev, null, null, null, 0, false, null, null, List.of()));
                continue;
            }
            List<ImageLayer> chain = new ArrayList<>();
            String node = ins.nodeName();
            boolean top = true;
            for (ImageInfo img = ins.image(); img != null; img = img.backingImage()) {
                String file = img.filename();
                String format = img.format();
                BlockDeviceInfo n = top ? byName(nodes, node) : formatNode(nodes, file, format, used);
                String nodeName = n == null ? null : n.nodeName();
                if (nodeName != null) {
                    used.add(nodeName);
                }
                boolean ro = n == null ? top && ins.ro() : n.ro();
                BlockDeviceInfo proto = protocolNode(nodes, file, nodeName, used);
                if (proto != null) {
                    used.add(proto.nodeName());
                }
                chain.add(new ImageLayer(nodeName, file, format, img.virtualSize(), img.actualSize(), ro,
                    proto == null ? null : proto.nodeName(), img.backingFilename()));
                top = false;
            }
            BlockdevCacheInfo c = ins.cache();
            CacheFlags cache = c == null ? new CacheFlags(false, false, false)
                : new CacheFlags(c.writeback(), c.direct(), c.noFlush());
            ImageLayer active = chain.isEmpty() ? null : chain.get(0);
            out.add(new DriveInfo(id, device, qdev, node, active == null ? ins.file() : active.file(),
                active == null ? ins.drv() : active.format(),
                active == null ? 0 : active.virtualSize(), ins.ro(), cache, null, chain));
        }
        return out;
    }

    /**
     * The id a user gave the device: {@code qdev} is the id itself (e.g. {@code scsi-hd}) or a QOM path such as
     * {@code /machine/peripheral/disk0/virtio-backend} for virtio-blk; devices without an id have paths elsewhere.
     */
    static String deviceId(String device, String qdev) {
        if (qdev.startsWith(PERIPHERAL)) {
            String rest = qdev.substring(PERIPHERAL.length());
            int slash = rest.indexOf('/');
            return slash < 0 ? rest : rest.substring(0, slash);
        }
        if (!qdev.isEmpty() && !qdev.startsWith("/")) {
            return qdev;
        }
        if (!device.isEmpty()) {
            return device;
        }
        return qdev;
    }

    private static BlockDeviceInfo byName(List<BlockDeviceInfo> nodes, String name) {
        return name == null ? null : first(nodes, n -> name.equals(n.nodeName()));
    }

    private static BlockDeviceInfo formatNode(List<BlockDeviceInfo> nodes, String file, String format,
                                              Set<String> used) {
        return file == null || format == null ? null : first(nodes, n -> file.equals(n.file())
            && format.equals(n.drv()) && !used.contains(n.nodeName()));
    }

    private static BlockDeviceInfo protocolNode(List<BlockDeviceInfo> nodes, String file, String formatNode,
                                                Set<String> used) {
        return file == null ? null : first(nodes, n -> file.equals(n.file())
            && !Objects.equals(n.nodeName(), formatNode) && PROTOCOL_DRIVERS.contains(n.drv())
            && !used.contains(n.nodeName()));
    }

    private static BlockDeviceInfo first(List<BlockDeviceInfo> nodes, Predicate<BlockDeviceInfo> match) {
        return nodes.stream().filter(match).findFirst().orElse(null);
    }
}
