package io.kvmj.bench.guestio;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The guest I/O suite's own result files beside the shared report: {@code guestio.json} and {@code GUESTIO.md}, one
 * row per I/O path and job, the guest/host fraction first.
 */
final class GuestIoReport {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /**
     * One measured pair.
     *
     * @param path      the I/O path, e.g. {@code virtio-blk cache=none aio=threads}
     * @param job       the fio job, e.g. {@code 4k-randread}
     * @param unit      IOPS or MB/s
     * @param guest     guest fio's figure
     * @param host      host fio's figure, same file, same run
     * @param accel     the guest's accelerator (TCG here)
     * @param hostFlags the host fio flags that follow QEMU's path
     */
    record Row(String path, String job, String unit, double guest, double host, String accel, String hostFlags) {
        /** guest / host: 1.0 means the guest gets the host's figure. */
        public double guestOverHost() {
            return host > 0 ? guest / host : 0;
        }
    }

    private GuestIoReport() {
    }

    static void write(Path outDir, List<Row> rows, String profile) throws IOException {
        if (rows.isEmpty()) {
            return;
        }
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("suite", "guestio");
        doc.put("profile", profile);
        doc.put("rows", rows);
        JSON.writeValue(outDir.resolve("guestio.json").toFile(), doc);
        Files.writeString(outDir.resolve("GUESTIO.md"), markdown(rows, profile));
    }

    static String markdown(List<Row> rows, String profile) {
        StringBuilder sb = new StringBuilder();
        sb.append("# Guest I/O through a real OS (Debian 12 guest, fio via the guest agent)\n\n");
        sb.append("Profile ").append(profile).append(". Guest: fio inside Debian 12 on a raw virtio-blk disk "
                + "(libaio, O_DIRECT, iodepth ").append(FioJob.IODEPTH).append("). Host: fio on the same image file "
                + "in the same run with the flags that follow QEMU's host path. guest/host = 1.0 means the guest "
                + "gets what the host gets. Guest figures are under the accelerator shown: under TCG the guest CPU "
                + "is emulated, so the fraction is mostly the cost of emulation, not of the I/O path.\n\n");
        sb.append("| path | job | guest/host | guest | host | unit | accel | host fio flags |\n");
        sb.append("|---|---|---:|---:|---:|---|---|---|\n");
        for (Row r : rows) {
            sb.append(String.format(Locale.ROOT, "| %s | %s | %.3f | %.1f | %.1f | %s | %s | %s |%n", r.path(),
                    r.job(), r.guestOverHost(), r.guest(), r.host(), r.unit(), r.accel(), r.hostFlags()));
        }
        return sb.toString();
    }
}
