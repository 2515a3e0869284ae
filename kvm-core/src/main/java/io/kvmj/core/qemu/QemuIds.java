package io.kvmj.core.qemu;

import io.kvmj.core.model.InvalidSpecException;

/**
 * QEMU identifier rules (ids of devices, objects, chardevs, netdevs, node names): a letter first, then letters,
 * digits, {@code -}, {@code .}, {@code _}. Node names are further limited to 31 bytes.
 */
public final class QemuIds {
    /** Longest block node name QEMU accepts. */
    public static final int MAX_NODE_NAME = 31;

    private QemuIds() {}

    public static String check(String field, String id) {
        if (id == null || !id.matches("[A-Za-z][A-Za-z0-9_.-]*")) {
            throw new InvalidSpecException(field, id,
                    "not a valid QEMU id (start with a letter, then letters, digits, '-', '.', '_')");
        }
        return id;
    }

    public static String checkNodeName(String field, String name) {
        check(field, name);
        if (name.length() > MAX_NODE_NAME) {
            throw new InvalidSpecException(field, name, "block node names are limited to " + MAX_NODE_NAME + " characters");
        }
        return name;
    }
}
