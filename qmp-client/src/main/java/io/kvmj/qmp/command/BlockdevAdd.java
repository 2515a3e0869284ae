package io.kvmj.qmp.command;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kvmj.qmp.QmpCommand;
import io.kvmj.qmp.QmpJson;
import io.kvmj.qmp.QmpTypes;
import java.util.Map;
import java.util.Objects;

/**
 * {@code blockdev-add}: adds a block node graph. The options are QEMU's {@code BlockdevOptions} union (driver,
 * node-name, driver-specific members, nested nodes as objects or node-name references), kept as JSON because
 * the union has dozens of variants. Use {@link #of(String, String, Map)} for the common flat case.
 */
public record BlockdevAdd(ObjectNode options) implements QmpCommand<Void> {

    public BlockdevAdd {
        Objects.requireNonNull(options, "options");
        if (!options.hasNonNull("driver")) {
            throw new IllegalArgumentException("blockdev-add options need a driver: " + options);
        }
        options = options.deepCopy();
    }

    /**
     * {@code {"driver": driver, "node-name": nodeName, ...members}}, e.g.
     * {@code of("file", "disk0-file", Map.of("filename", "/var/vm/disk0.img"))} then
     * {@code of("qcow2", "disk0", Map.of("file", "disk0-file"))}.
     */
    public static BlockdevAdd of(String driver, String nodeName, Map<String, ?> members) {
        ObjectNode o = QmpJson.object().put("driver", driver);
        if (nodeName != null) {
            o.put("node-name", nodeName);
        }
        members.forEach((k, v) -> o.set(k, QmpJson.mapper().valueToTree(v)));
        return new BlockdevAdd(o);
    }

    @Override
    public String name() {
        return "blockdev-add";
    }

    @Override
    public JavaType responseType() {
        return QmpTypes.VOID;
    }

    @Override
    public Object arguments() {
        return options;
    }
}
