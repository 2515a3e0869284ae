package io.kvmj.qmp.command;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kvmj.qmp.QmpCommand;
import io.kvmj.qmp.QmpJson;
import io.kvmj.qmp.QmpTypes;
import java.util.Map;
import java.util.Objects;

/**
 * {@code device_add}: hot-plugs a device. {@code properties} are the driver's free-form properties
 * (e.g. {@code bus}, {@code drive}, {@code addr}); they are flattened next to {@code driver} and {@code id}.
 * Remove it again with {@link io.kvmj.qmp.QmpMonitor#deviceDel(String, java.time.Duration)}.
 */
public record DeviceAdd(String driver, String id, Map<String, Object> properties) implements QmpCommand<Void> {

    public DeviceAdd {
        Objects.requireNonNull(driver, "driver");
        properties = properties == null ? Map.of() : Map.copyOf(properties);
        if (properties.containsKey("driver") || properties.containsKey("id")) {
            throw new IllegalArgumentException("pass driver and id as record components, not as properties");
        }
    }

    /** A device without extra properties. */
    public static DeviceAdd of(String driver, String id) {
        return new DeviceAdd(driver, id, Map.of());
    }

    @Override
    public String name() {
        return "device_add";
    }

    @Override
    public JavaType responseType() {
        return QmpTypes.VOID;
    }

    @Override
    public Object arguments() {
        ObjectNode args = QmpJson.object().put("driver", driver);
        if (id != null) {
            args.put("id", id);
        }
        properties.forEach((k, v) -> args.set(k, QmpJson.mapper().valueToTree(v)));
        return args;
    }
}
