package io.kvmj.core.qemu;

/** Small devices: virtio-rng (fed from /dev/urandom) and virtio-balloon. */
final class MiscDeviceRenderer implements ArgRenderer {

    @Override
    public void render(RenderContext ctx) {
        if (ctx.spec.rng()) {
            ctx.arg("-object", QemuOpts.of("object", "rng-random").add("id", "rng0").add("filename", "/dev/urandom"));
            ctx.arg("-device", QemuOpts.of("device", ctx.virtio("rng")).add("id", "rng0-dev").add("rng", "rng0"));
        }
        MemoryRenderer.balloon(ctx);
    }
}
