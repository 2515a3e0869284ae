package io.kvmj.core.image;

/** qcow/qcow2 header {@code crypt_method}: none, legacy AES-CBC (insecure, read-only in modern QEMU) or LUKS. */
public enum EncryptionMethod {
    NONE, AES, LUKS;

    static EncryptionMethod of(int code) {
        return switch (code) {
            case 0 -> NONE;
            case 1 -> AES;
            case 2 -> LUKS;
            default -> throw new ImageHeaderException("unknown qcow2 crypt_method " + code);
        };
    }
}
