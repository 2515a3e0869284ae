package io.kvmj.core.qemu;

import io.kvmj.core.model.InvalidSpecException;
import io.kvmj.core.model.NinePShare;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** 9p shares: {@code -fsdev local,id=fsN,...} + {@code -device virtio-9p-pci,fsdev=fsN,mount_tag=TAG}. */
final class NinePRenderer implements ArgRenderer {

    @Override
    public void render(RenderContext ctx) {
        List<NinePShare> shares = ctx.spec.shares();
        Set<String> tags = new HashSet<>();
        for (int i = 0; i < shares.size(); i++) {
            NinePShare s = shares.get(i);
            String f = "shares[" + s.tag() + "]";
            if (!tags.add(s.tag())) {
                throw new InvalidSpecException(f + ".mount_tag", s.tag(), "duplicate mount tag");
            }
            Path dir = RenderContext.abs(f + ".path", s.path());
            if (!Files.isDirectory(dir)) {
                throw new InvalidSpecException(f + ".path", dir, "9p share path is not an existing directory");
            }
            String id = "fs" + i;
            QemuOpts fsdev = QemuOpts.of("fsdev", "local").add("id", id).add("path", dir.toString())
                    .add("security_model", s.securityModel().qemuName());
            if (s.readOnly()) {
                fsdev.onOff("readonly", true);
            }
            if (s.multidevsRemap()) {
                fsdev.add("multidevs", "remap");
            }
            ctx.arg("-fsdev", fsdev);
            ctx.arg("-device", QemuOpts.of("device", ctx.virtio("9p")).add("id", id + "-dev").add("fsdev", id).add("mount_tag", s.tag()));
        }
    }
}
