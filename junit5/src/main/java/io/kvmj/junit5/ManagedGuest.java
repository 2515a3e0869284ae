package io.kvmj.junit5;

import io.kvmj.launcher.Guest;
import io.kvmj.launcher.ShutdownResult;
import io.kvmj.launcher.demo.KvmjCache;
import java.io.IOException;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A guest booted by {@link KvmjExtension} for one scope, with its private work directory (overlays); closing it
 * stops QEMU ({@code quit} at once for throw-away {@link GuestImage#DEMO} guests, else ACPI first, see
 * {@link Guest#close()}) and deletes the work directory. Idempotent and thread-safe.
 *
 * @param guest       the running guest
 * @param declaration where it was declared (for messages), e.g. {@code ShellTest.guest}
 * @param workDir     private work directory, or null
 * @param quickStop   stop with {@code quit} instead of an ACPI power-down
 */
public record ManagedGuest(Guest guest, String declaration, Path workDir, boolean quickStop) implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ManagedGuest.class);
    /** Console lines put into a failure report. */
    public static final int REPORT_LINES = 200;

    /** The last {@value #REPORT_LINES} console lines (read before the runtime directory is removed). */
    public String consoleTail() {
        return guest.console().tail(REPORT_LINES);
    }

    @Override
    public void close() {
        try {
            if (quickStop) {
                ShutdownResult r = guest.quit();
                LOG.debug("guest {} ({}) stopped: {}", guest.name(), declaration, r);
            }
        } finally {
            try {
                guest.close();
            } finally {
                if (workDir != null) {
                    try {
                        KvmjCache.deleteTree(workDir);
                    } catch (IOException e) {
                        LOG.warn("could not delete {}: {}", workDir, e.toString());
                    }
                }
            }
        }
    }
}
