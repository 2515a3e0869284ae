package io.kvmj.core.model;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** Stable locally-administered-by-QEMU-convention MACs: {@code 52:54:00} + 3 bytes of SHA-256(guest name, NIC index). */
public final class MacAddresses {
    private MacAddresses() {}

    public static String derive(String guestName, int nicIndex) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256")
                    .digest((guestName + "\0" + nicIndex).getBytes(StandardCharsets.UTF_8));
            return String.format("52:54:00:%02x:%02x:%02x", h[0] & 0xff, h[1] & 0xff, h[2] & 0xff);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Six hex pairs, unicast (low bit of the first octet clear). */
    public static boolean isValid(String mac) {
        if (!mac.matches("(?i)[0-9a-f]{2}(:[0-9a-f]{2}){5}")) {
            return false;
        }
        return (Integer.parseInt(mac.substring(0, 2), 16) & 1) == 0;
    }
}
