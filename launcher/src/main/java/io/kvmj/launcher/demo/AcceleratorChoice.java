package io.kvmj.launcher.demo;

/**
 * Which accelerator the demo guest runs under and why.
 *
 * @param kvmUsable   true when hardware virtualisation through /dev/kvm can run a Linux guest
 * @param accelerator QEMU accelerator name: {@code kvm} or {@code tcg}
 * @param reason      one sentence explaining the choice
 */
public record AcceleratorChoice(boolean kvmUsable, String accelerator, String reason) {
    /** QEMU {@code -cpu} model matching the accelerator. */
    public String cpuModel() {
        return kvmUsable ? "host" : "max";
    }
}
