package io.kvmj.launcher.demo;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * What the host chose for one demo run and later checks against the guest's console markers.
 *
 * @param pattern      token the guest writes repeatedly ("token\n") to the scratch disk
 * @param patternBytes how many bytes of the repeated token the guest writes (multiple of 4096)
 * @param shareTag     9p mount tag
 * @param shareFile    file name inside the share
 * @param shareContent random content the host wrote into that file
 */
public record DemoExpectations(String pattern, int patternBytes, String shareTag, String shareFile,
                               String shareContent) {
    /** Name of the file the guest writes back into the share. */
    public static final String REPLY_FILE = "guest-reply.txt";

    public DemoExpectations {
        if (patternBytes <= 0 || patternBytes % 4096 != 0) {
            throw new IllegalArgumentException("patternBytes must be a positive multiple of 4096: " + patternBytes);
        }
        if (shareTag.length() > 31) {
            throw new IllegalArgumentException("9p mount tag longer than 31 bytes: " + shareTag);
        }
        for (String v : new String[] {pattern, shareTag, shareFile, shareContent}) {
            if (v.isEmpty() || !v.matches("[A-Za-z0-9._-]+")) {
                throw new IllegalArgumentException("demo values must be non-empty [A-Za-z0-9._-]: '" + v + "'");
            }
        }
    }

    /** Fresh random values (1 MiB pattern, tag {@code kvmjshare}). */
    public static DemoExpectations random() {
        SecureRandom rnd = new SecureRandom();
        return new DemoExpectations("kvmj-" + hex(rnd, 8), 1 << 20, "kvmjshare", "kvmj-demo.txt",
            "kvmj-share-" + hex(rnd, 16));
    }

    /** The exact bytes the guest writes to the disk: {@code pattern + "\n"} repeated, cut at patternBytes. */
    public byte[] patternData() {
        byte[] unit = (pattern + "\n").getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[patternBytes];
        for (int i = 0; i < out.length; i++) {
            out[i] = unit[i % unit.length];
        }
        return out;
    }

    /** Hex SHA-256 of {@link #patternData()}: the guest must report the same. */
    public String patternSha256() {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(patternData()));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Content the guest writes to {@link #REPLY_FILE}. */
    public String expectedReply() {
        return "kvmj-guest-saw:" + shareContent;
    }

    /** Kernel command-line parameters handing these values to the init script. */
    public String kernelParameters() {
        return "kvmj.pattern=" + pattern + " kvmj.bytes=" + patternBytes + " kvmj.tag=" + shareTag
            + " kvmj.file=" + shareFile;
    }

    private static String hex(SecureRandom rnd, int bytes) {
        byte[] b = new byte[bytes];
        rnd.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
