package io.kvmj.launcher.migrate;

import io.kvmj.launcher.Guest;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A migration in progress (started by {@link LiveMigration}): progress goes to its {@link MigrationListener},
 * {@link #cancel()} stops it (before post-copy) with the guest still on the source, {@link #await} returns the
 * {@link MigrationResult} or throws the {@link MigrationException} that says what happened.
 *
 * <pre>{@code
 * Migration m = LiveMigration.toNewGuest(launcher, MigrationSource.of(src), spec, "vm1-b", opts, System.out::println);
 * MigrationResult r = m.await(Duration.ofMinutes(10));
 * Guest moved = m.destination().orElseThrow();
 * }</pre>
 */
public final class Migration {
    private final AtomicReference<String> stopReason = new AtomicReference<>();
    private final CompletableFuture<MigrationResult> result = new CompletableFuture<>();
    private final AtomicReference<Guest> destination = new AtomicReference<>();

    Migration() {
    }

    /**
     * Asks the migration to stop: {@code migrate_cancel} on the source, the destination (if kvmj started it) is
     * removed; the guest keeps running on the source. No effect once post-copy has begun (the destination already
     * runs the guest) or after completion. Returns at once; {@link #await} says how it ended.
     */
    public void cancel() {
        cancel("cancelled");
    }

    /** {@link #cancel()} with the reason the failure message should give, e.g. {@code "interrupted (Ctrl-C)"}. */
    public void cancel(String reason) {
        stopReason.compareAndSet(null, reason);
    }

    /**
     * Waits for the end.
     *
     * @throws MigrationException when it was refused, failed or cancelled
     * @throws java.util.concurrent.CompletionException wrapping a {@link TimeoutException} when {@code timeout} passed
     *                                                   (the migration goes on)
     */
    public MigrationResult await(Duration timeout) {
        try {
            return result.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new MigrationException(String.valueOf(e.getCause()), false, e.getCause());
        } catch (TimeoutException e) {
            throw new java.util.concurrent.CompletionException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MigrationException("interrupted while waiting for the migration", true, e);
        }
    }

    /** Completes with the result or the {@link MigrationException}. */
    public CompletableFuture<MigrationResult> future() {
        return result;
    }

    /** The destination guest, once kvmj has launched it (migrations to a new guest on this host only). */
    public Optional<Guest> destination() {
        return Optional.ofNullable(destination.get());
    }

    AtomicReference<String> stopReason() {
        return stopReason;
    }

    void destination(Guest g) {
        destination.set(g);
    }

    CompletableFuture<MigrationResult> result() {
        return result;
    }
}
