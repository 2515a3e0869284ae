package io.kvmj.launcher.storage;

import com.fasterxml.jackson.databind.JsonNode;
import io.kvmj.qmp.QmpJson;
import io.kvmj.qmp.QmpMonitor;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

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
        JsonNode blocks = qmp.call("query-block", null);
        JsonNode nodes = qmp.call("query-named-block-nodes", QmpJson.object().put("flat", true));
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
            String wc = qmp.call("qom-get", QmpJson.object().put("path", d.qdev()).put("property", "write-cache"))
                .asText();
            return new CacheFlags(!"off".equals(wc), d.cache().direct(), d.cache().noFlush());
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** The names of all block nodes (including backup targets and implicit {@code #blockNNN} nodes). */
    public static Set<String> nodeNames(QmpMonitor qmp) {
        Set<String> names = new HashSet<>();
        for (JsonNode n : qmp.call("query-named-block-nodes", QmpJson.object().put("flat", true))) {
            names.add(n.path("node-name").asText());
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
    static List<DriveInfo> parse(JsonNode blocks, JsonNode nodes) {
        Set<String> used = new HashSet<>();
        List<DriveInfo> out = new ArrayList<>();
        for (JsonNode b : blocks) {
            String device = b.path("device").asText("");
            String qdev = b.path("qdev").asText("");
            String id = deviceId(device, qdev);
            JsonNode ins = b.path("inserted");
            if (ins.isMissingNode() || ins.isNull()) {
                out.add(new DriveInfo(id, device, qdev, null, null, null, 0, false, null, null, List.of()));
                continue;
            }
            List<ImageLayer> chain = new ArrayList<>();
            String node = ins.path("node-name").asText(null);
            JsonNode img = ins.path("image");
            boolean top = true;
            while (img.isObject()) {
                String file = img.path("filename").asText(null);
                String format = img.path("format").asText(null);
                JsonNode n = top ? byName(nodes, node) : formatNode(nodes, file, format, used);
                if (n != null) {
                    used.add(n.path("node-name").asText());
                }
                String nodeName = n == null ? null : n.path("node-name").asText(null);
                boolean ro = n == null ? top && ins.path("ro").asBoolean() : n.path("ro").asBoolean();
                JsonNode proto = protocolNode(nodes, file, nodeName, used);
                if (proto != null) {
                    used.add(proto.path("node-name").asText());
                }
                chain.add(new ImageLayer(nodeName, file, format, img.path("virtual-size").asLong(),
                    img.has("actual-size") ? img.path("actual-size").asLong() : null, ro,
                    proto == null ? null : proto.path("node-name").asText(null),
                    img.has("backing-filename") ? img.path("backing-filename").asText() : null));
                img = img.path("backing-image");
                top = false;
            }
            JsonNode c = ins.path("cache");
            CacheFlags cache = new CacheFlags(c.path("writeback").asBoolean(), c.path("direct").asBoolean(),
                c.path("no-flush").asBoolean());
            ImageLayer active = chain.isEmpty() ? null : chain.get(0);
            out.add(new DriveInfo(id, device, qdev, node, active == null ? ins.path("file").asText(null) : active.file(),
                active == null ? ins.path("drv").asText(null) : active.format(),
                active == null ? 0 : active.virtualSize(), ins.path("ro").asBoolean(), cache, null, chain));
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

    private static JsonNode byName(JsonNode nodes, String name) {
        if (name == null) {
            return null;
        }
        for (JsonNode n : nodes) {
            if (name.equals(n.path("node-name").asText())) {
                return n;
            }
        }
        return null;
    }

    private static JsonNode formatNode(JsonNode nodes, String file, String format, Set<String> used) {
        for (JsonNode n : nodes) {
            if (file != null && file.equals(n.path("file").asText()) && format != null
                && format.equals(n.path("drv").asText()) && !used.contains(n.path("node-name").asText())) {
                return n;
            }
        }
        return null;
    }

    private static JsonNode protocolNode(JsonNode nodes, String file, String formatNode, Set<String> used) {
        for (JsonNode n : nodes) {
            String name = n.path("node-name").asText();
            if (file != null && file.equals(n.path("file").asText()) && !name.equals(formatNode)
                && PROTOCOL_DRIVERS.contains(n.path("drv").asText()) && !used.contains(name)) {
                return n;
            }
        }
        return null;
    }
}
