package io.kvmj.launcher.cli;

import io.kvmj.core.model.InvalidSpecException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Says a guest-model error ({@link InvalidSpecException}, which names a model field such as {@code smp.cpus} or
 * {@code disks[disk0].path}) in the vocabulary of {@code kvmj run}: the flag that set the field.
 *
 * <pre>{@code SpecFlags.describe(e)  // "--vcpus 0: must be at least 1"}</pre>
 */
final class SpecFlags {
    /** Model field prefixes, most specific first, and the flag that sets them. */
    private static final Map<String, String> FLAGS = new LinkedHashMap<>();

    static {
        FLAGS.put("smp", "--vcpus");
        FLAGS.put("cpu", "--cpu");
        FLAGS.put("memory.backend", "--hugepages");
        FLAGS.put("memory.numa", "--numa");
        FLAGS.put("memory", "--memory");
        FLAGS.put("numa", "--numa");
        FLAGS.put("disks", "--disk");
        FLAGS.put("cloudInit", "--cloud-init");
        FLAGS.put("cdroms", "--cdrom");
        FLAGS.put("kernel.initrd", "--initrd");
        FLAGS.put("kernel.append", "--append");
        FLAGS.put("kernel.cmdline", "--append");
        FLAGS.put("kernel", "--kernel");
        FLAGS.put("nics", "--network");
        FLAGS.put("hostfwd", "--network");
        FLAGS.put("shares", "--share");
        FLAGS.put("vnc", "--graphics");
        FLAGS.put("usb", "--hostdev");
        FLAGS.put("pci", "--hostdev");
        FLAGS.put("boot", "--boot");
        FLAGS.put("machine", "--machine");
        FLAGS.put("name", "--name");
    }

    private SpecFlags() {}

    /** The flag that sets {@code field}, or {@code null} when none does (then the field name is kept). */
    static String flagOf(String field) {
        if (field == null) {
            return null;
        }
        for (Map.Entry<String, String> e : FLAGS.entrySet()) {
            String p = e.getKey();
            if (field.equals(p) || field.startsWith(p + ".") || field.startsWith(p + "[")) {
                return e.getValue();
            }
        }
        return null;
    }

    /** {@code --FLAG VALUE: reason}, or the model's own message when no flag sets the field. */
    static String describe(InvalidSpecException e) {
        String flag = flagOf(e.field());
        String prefix = e.field() + "=" + (e.value() == null ? "null" : "'" + e.value() + "'") + ": ";
        String msg = e.getMessage();
        if (flag == null || msg == null || !msg.startsWith(prefix)) {
            return msg;
        }
        String reason = msg.substring(prefix.length());
        if (flag.equals("--hugepages")) {
            return flag + ": " + reason;
        }
        return flag + " " + e.value() + ": " + reason;
    }
}
