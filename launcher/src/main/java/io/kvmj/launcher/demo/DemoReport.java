package io.kvmj.launcher.demo;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.List;
import java.util.Locale;

/**
 * The result of one demo guest run: how it was run, each check, and how QEMU ended.
 *
 * @param accelerator       {@code kvm} or {@code tcg}
 * @param acceleratorReason why
 * @param kernel            kernel path, release and source
 * @param modulesNote       where the guest's modules came from
 * @param diskCache         QEMU cache mode of the scratch disk
 * @param diskCacheReason   why that mode
 * @param bootMillis        QEMU start until the guest's /init printed its first marker; null if it never did
 * @param guestUptimeAtInit guest-reported seconds of uptime when /init started; null if unknown
 * @param totalMillis       QEMU start until QEMU exited (or was killed)
 * @param guestDevices      virtio devices and block devices the guest reported
 * @param checks            every check, in order
 * @param cleanShutdown     guest finished its script, powered off and QEMU exited with code 0 within the timeout
 * @param exitCode          QEMU's exit code, null when it had to be killed
 * @param timedOut          the timeout expired
 * @param workDir           the kept work directory (console.log etc.), or null when it was removed
 * @param consoleTail       the last console lines when something failed (empty on success)
 */
public record DemoReport(String accelerator, String acceleratorReason, String kernel, String modulesNote,
                         String diskCache, String diskCacheReason, Long bootMillis, Double guestUptimeAtInit,
                         long totalMillis, String guestDevices, List<DemoCheck> checks, boolean cleanShutdown,
                         Integer exitCode, boolean timedOut, String workDir, List<String> consoleTail) {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public DemoReport {
        checks = List.copyOf(checks);
        consoleTail = List.copyOf(consoleTail);
    }

    /** True when every check passed and the guest shut down cleanly. */
    @JsonProperty("passed")
    public boolean passed() {
        return cleanShutdown && !checks.isEmpty() && checks.stream().allMatch(DemoCheck::passed);
    }

    /** The named check, if present. */
    public java.util.Optional<DemoCheck> check(String name) {
        return checks.stream().filter(c -> c.name().equals(name)).findFirst();
    }

    /** A short human summary (several lines). */
    public String summary() {
        StringBuilder sb = new StringBuilder();
        sb.append("kvmj demo: ").append(passed() ? "PASS" : "FAIL").append('\n');
        sb.append("  accelerator:  ").append(accelerator.toUpperCase(Locale.ROOT)).append(" (")
            .append(acceleratorReason).append(")\n");
        sb.append("  kernel:       ").append(kernel).append('\n');
        sb.append("  boot time:    ").append(bootMillis == null ? "guest never reached /init"
            : String.format(Locale.ROOT, "%.1f s from QEMU start to /init (guest kernel uptime %s s)",
                bootMillis / 1000.0,
                guestUptimeAtInit == null ? "?" : String.format(Locale.ROOT, "%.2f", guestUptimeAtInit)))
            .append(accelerator.equals("tcg") ? ", software emulation" : "").append('\n');
        sb.append("  scratch disk: cache=").append(diskCache).append(" (").append(diskCacheReason).append(")\n");
        for (DemoCheck c : checks) {
            sb.append(String.format(Locale.ROOT, "  %-13s %s  %s%n", c.name() + ":", c.passed() ? "PASS" : "FAIL",
                c.detail()));
        }
        sb.append("  shutdown:     ").append(cleanShutdown ? "clean (guest powered off, QEMU exit 0)"
            : timedOut ? "NOT clean: QEMU did not exit in time and was killed"
            : "NOT clean: QEMU exit code " + exitCode).append(String.format(Locale.ROOT, ", %.1f s total",
                totalMillis / 1000.0)).append('\n');
        if (workDir != null) {
            sb.append("  work dir:     ").append(workDir).append(" (kept)\n");
        }
        if (!consoleTail.isEmpty()) {
            sb.append("  last console lines:\n");
            consoleTail.forEach(l -> sb.append("    | ").append(l).append('\n'));
        }
        return sb.toString();
    }

    /** The report as pretty-printed JSON (record components plus {@code passed}). */
    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise demo report", e);
        }
    }
}
