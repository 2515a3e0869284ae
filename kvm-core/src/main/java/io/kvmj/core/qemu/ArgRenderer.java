package io.kvmj.core.qemu;

/** One concern's part of the argv (machine, memory, disks, ...). Renderers validate what they render. */
interface ArgRenderer {
    void render(RenderContext ctx);
}
