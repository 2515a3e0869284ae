package io.kvmj.launcher.storage;

import java.util.List;

/** A drive name matched no device id, block backend or node name of the guest; the message lists the drives. */
public class UnknownDriveException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String drive;
    private final transient List<DriveInfo> available;

    public UnknownDriveException(String drive, List<DriveInfo> available) {
        super("no drive '" + drive + "'; " + describe(available));
        this.drive = drive;
        this.available = List.copyOf(available);
    }

    /** The name that was asked for. */
    public String drive() {
        return drive;
    }

    /** The guest's drives at the time of the lookup. */
    public List<DriveInfo> available() {
        return available;
    }

    private static String describe(List<DriveInfo> drives) {
        if (drives.isEmpty()) {
            return "the guest has no drives";
        }
        StringBuilder b = new StringBuilder("drives: ");
        for (int i = 0; i < drives.size(); i++) {
            DriveInfo d = drives.get(i);
            if (i > 0) {
                b.append(", ");
            }
            b.append(d.id());
            if (d.activeNode() != null) {
                b.append(" (node ").append(d.activeNode()).append(", ").append(d.file()).append(')');
            } else {
                b.append(" (empty)");
            }
        }
        return b.toString();
    }
}
