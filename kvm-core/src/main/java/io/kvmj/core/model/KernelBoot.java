package io.kvmj.core.model;

import java.nio.file.Path;
import java.util.Objects;

/** Direct kernel boot: {@code -kernel}, optional {@code -initrd} and {@code -append}. */
public record KernelBoot(Path kernel, Path initrd, String append) {
    public KernelBoot { Objects.requireNonNull(kernel, "kernel"); }

    public static KernelBoot of(Path kernel, Path initrd, String append) { return new KernelBoot(kernel, initrd, append); }
}
