package io.kvmj.qga;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings of a {@link QgaClient}. Build with {@link #builder()}; {@link #defaults()} gives the defaults listed on
 * each builder method.
 *
 * @param commandTimeout    how long a command waits for its reply before {@link QgaNotAnsweringException}
 * @param syncTimeout       how long one {@code guest-sync-delimited} handshake waits for its reply
 * @param shutdownReplyWait how long {@code guest-shutdown} / {@code guest-suspend-*} wait for an error reply; the
 *                          agent sends no reply when they succeed, so silence for this long counts as success
 * @param execPollMax       longest pause between two {@code guest-exec-status} polls (polling starts at 10 ms
 *                          and doubles up to this)
 * @param fileChunkSize     bytes per {@code guest-file-read} / {@code guest-file-write} request
 * @param maxReplyBytes     longest reply line accepted (a {@code guest-exec-status} with 2 x 16 MiB of captured
 *                          output is about 45 MB of base64)
 */
public record QgaClientOptions(Duration commandTimeout, Duration syncTimeout, Duration shutdownReplyWait,
        Duration execPollMax, int fileChunkSize, int maxReplyBytes) {

    /** The agent refuses reads larger than 48 MiB ({@code QGA_READ_COUNT_MAX}). */
    public static final int MAX_FILE_CHUNK = 48 * 1024 * 1024;

    public QgaClientOptions {
        Objects.requireNonNull(commandTimeout, "commandTimeout");
        Objects.requireNonNull(syncTimeout, "syncTimeout");
        Objects.requireNonNull(shutdownReplyWait, "shutdownReplyWait");
        Objects.requireNonNull(execPollMax, "execPollMax");
        if (!positive(commandTimeout) || !positive(syncTimeout) || !positive(shutdownReplyWait)
                || !positive(execPollMax)) {
            throw new IllegalArgumentException("QGA timeouts and poll interval must be positive");
        }
        if (fileChunkSize < 1 || fileChunkSize > MAX_FILE_CHUNK) {
            throw new IllegalArgumentException("fileChunkSize must be between 1 and " + MAX_FILE_CHUNK
                    + ", got " + fileChunkSize);
        }
        if (maxReplyBytes < 1024) {
            throw new IllegalArgumentException("maxReplyBytes must be >= 1024, got " + maxReplyBytes);
        }
    }

    private static boolean positive(Duration d) {
        return !d.isNegative() && !d.isZero();
    }

    /** The defaults. */
    public static QgaClientOptions defaults() {
        return builder().build();
    }

    /** A builder preset with the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder preset with these options. */
    public Builder toBuilder() {
        return new Builder().commandTimeout(commandTimeout).syncTimeout(syncTimeout)
                .shutdownReplyWait(shutdownReplyWait).execPollMax(execPollMax).fileChunkSize(fileChunkSize)
                .maxReplyBytes(maxReplyBytes);
    }

    /** Builder of {@link QgaClientOptions}. */
    public static final class Builder {
        private Duration commandTimeout = Duration.ofSeconds(30);
        private Duration syncTimeout = Duration.ofSeconds(5);
        private Duration shutdownReplyWait = Duration.ofSeconds(3);
        private Duration execPollMax = Duration.ofMillis(500);
        private int fileChunkSize = 1024 * 1024;
        private int maxReplyBytes = 64 * 1024 * 1024;

        private Builder() {
        }

        /** Reply timeout of a command (default 30 s). */
        public Builder commandTimeout(Duration d) {
            this.commandTimeout = d;
            return this;
        }

        /** Reply timeout of one synchronisation handshake (default 5 s). */
        public Builder syncTimeout(Duration d) {
            this.syncTimeout = d;
            return this;
        }

        /** Silence after {@code guest-shutdown} that counts as success (default 3 s). */
        public Builder shutdownReplyWait(Duration d) {
            this.shutdownReplyWait = d;
            return this;
        }

        /** Longest pause between {@code guest-exec-status} polls (default 500 ms). */
        public Builder execPollMax(Duration d) {
            this.execPollMax = d;
            return this;
        }

        /** Bytes per file read/write request (default 1 MiB, at most 48 MiB). */
        public Builder fileChunkSize(int bytes) {
            this.fileChunkSize = bytes;
            return this;
        }

        /** Longest reply line accepted (default 64 MiB). */
        public Builder maxReplyBytes(int bytes) {
            this.maxReplyBytes = bytes;
            return this;
        }

        public QgaClientOptions build() {
            return new QgaClientOptions(commandTimeout, syncTimeout, shutdownReplyWait, execPollMax, fileChunkSize,
                    maxReplyBytes);
        }
    }
}
