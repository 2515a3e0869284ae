package io.kvmj.core.host;

import java.util.ArrayList;
import java.util.List;

/**
 * The user the probe runs as, from {@code /proc/self/status} (effective uid and gid, supplementary groups) with
 * names from {@code /etc/passwd} and {@code /etc/group} below the root.
 */
public record UserFacts(String name, int uid, int gid, List<Integer> groups, List<String> groupNames) {

    /** Whether the user is root (uid 0), who passes file permission checks. */
    public boolean root() {
        return uid == 0;
    }

    /** Whether the user has {@code gid} as primary or supplementary group. */
    public boolean inGroup(int g) {
        return gid == g || groups.contains(g);
    }

    /** Reads the facts below the root; falls back to the JVM's {@code user.name} for the name. */
    public static UserFacts read(HostRoot root) {
        int uid = -1;
        int gid = -1;
        List<Integer> groups = new ArrayList<>();
        for (String line : root.lines("/proc/self/status")) {
            String[] f = line.trim().split("\\s+");
            if (f.length >= 3 && f[0].equals("Uid:")) {
                uid = parse(f[2]);
            } else if (f.length >= 3 && f[0].equals("Gid:")) {
                gid = parse(f[2]);
            } else if (f[0].equals("Groups:")) {
                for (int i = 1; i < f.length; i++) {
                    groups.add(parse(f[i]));
                }
            }
        }
        String name = System.getProperty("user.name", "?");
        for (String line : root.lines("/etc/passwd")) {
            String[] f = line.split(":");
            if (f.length >= 3 && uid >= 0 && String.valueOf(uid).equals(f[2])) {
                name = f[0];
            }
        }
        List<String> names = new ArrayList<>();
        for (int g : groups) {
            names.add(groupName(root, g));
        }
        return new UserFacts(name, uid, gid, List.copyOf(groups), List.copyOf(names));
    }

    /** The name of a group id from {@code /etc/group}, or the number as text. */
    static String groupName(HostRoot root, int gid) {
        for (String line : root.lines("/etc/group")) {
            String[] f = line.split(":");
            if (f.length >= 3 && String.valueOf(gid).equals(f[2])) {
                return f[0];
            }
        }
        return String.valueOf(gid);
    }

    private static int parse(String s) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
