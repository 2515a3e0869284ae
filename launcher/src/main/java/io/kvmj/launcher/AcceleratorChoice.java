package io.kvmj.launcher;

/**
 * The accelerator a guest runs with and why.
 *
 * @param accelerator {@code kvm}, {@code tcg}, or what the raw argv asked for ({@code unknown} when not stated)
 * @param reason      human-readable explanation (the host probe's reason for {@code auto})
 */
public record AcceleratorChoice(String accelerator, String reason) {
}
