package io.kvmj.qga.model;

/**
 * Result of one {@code guest-file-read}: the bytes read (base64-decoded) and whether the end of the file was
 * reached.
 *
 * @param data bytes read (length may be below the requested count)
 * @param eof  the agent saw end of file
 */
public record GuestFileRead(byte[] data, boolean eof) {
    public GuestFileRead {
        data = data == null ? new byte[0] : data;
    }

    /** Number of bytes read. */
    public int count() {
        return data.length;
    }
}
