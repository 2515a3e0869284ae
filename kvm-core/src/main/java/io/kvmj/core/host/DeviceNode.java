package io.kvmj.core.host;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A device file such as {@code /dev/kvm}: whether it exists, its type ({@code char}, {@code block},
 * {@code file}, {@code dir}, {@code other}, or {@code null} when missing), octal permission bits, owner and group,
 * and whether the probing user may read and write it according to those bits (root always may).
 */
public record DeviceNode(String path, boolean exists, String type, String mode, int uid, int gid, String group,
        boolean readable, boolean writable) {

    /** Stats {@code absolute} below the root and evaluates access for {@code user}. */
    public static DeviceNode read(HostRoot root, String absolute, UserFacts user) {
        Path p = root.path(absolute);
        if (!Files.exists(p)) {
            return new DeviceNode(absolute, false, null, null, -1, -1, null, false, false);
        }
        try {
            Map<String, Object> a = Files.readAttributes(p, "unix:mode,uid,gid");
            int mode = (Integer) a.get("mode");
            int uid = (Integer) a.get("uid");
            int gid = (Integer) a.get("gid");
            int perms;
            if (user.root()) {
                perms = 06;
            } else if (user.uid() == uid) {
                perms = (mode >> 6) & 07;
            } else if (user.inGroup(gid)) {
                perms = (mode >> 3) & 07;
            } else {
                perms = mode & 07;
            }
            return new DeviceNode(absolute, true, type(mode), String.format("%04o", mode & 07777), uid, gid,
                    UserFacts.groupName(root, gid), (perms & 04) != 0, (perms & 02) != 0);
        } catch (IOException | UnsupportedOperationException | ClassCastException e) {
            return new DeviceNode(absolute, true, "other", null, -1, -1, null, false, false);
        }
    }

    private static String type(int mode) {
        switch (mode & 0170000) {
            case 0020000: return "char";
            case 0060000: return "block";
            case 0100000: return "file";
            case 0040000: return "dir";
            default: return "other";
        }
    }
}
