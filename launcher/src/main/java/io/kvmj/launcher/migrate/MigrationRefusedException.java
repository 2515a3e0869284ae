package io.kvmj.launcher.migrate;

import java.util.List;

/** QEMU cannot migrate this guest; nothing was started. {@link #reasons()} says why, one line each. */
public final class MigrationRefusedException extends MigrationException {
    private final List<String> reasons;

    public MigrationRefusedException(String guest, List<String> reasons) {
        super("guest '" + guest + "' cannot be migrated: " + String.join("; ", reasons), true, null);
        this.reasons = List.copyOf(reasons);
    }

    public List<String> reasons() {
        return reasons;
    }
}
