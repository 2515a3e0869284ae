package io.kvmj.bench.guest;

import io.kvmj.bench.BenchContext;
import io.kvmj.bench.Suite;
import io.kvmj.bench.report.Figure;
import java.util.List;

/** Guest disk I/O: dd inside the demo guest per cache mode and image layout (TCG). */
public final class GuestDiskSuite implements Suite {

    @Override
    public String id() {
        return "guestdisk";
    }

    @Override
    public List<Figure> run(BenchContext ctx) {
        ctx.note("guestdisk: needs the demo guest (io.kvmj.launcher.demo), not available in this build; skipped");
        return List.of();
    }
}
