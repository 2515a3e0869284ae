package io.kvmj.launcher.osimage;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;

/**
 * How the image's root password is set, in virt-builder's {@code --root-password} vocabulary:
 * {@code random} (16 characters, reported after the build), {@code password:X}, {@code file:F} (first line of F),
 * {@code locked} (no password login; keys only).
 *
 * @param kind     which of the forms
 * @param password the literal password ({@code password:}), null otherwise
 * @param file     the file to read it from ({@code file:}), null otherwise
 */
public record RootPassword(Kind kind, String password, Path file) {
    /** The forms of {@code --root-password}. */
    public enum Kind { RANDOM, PASSWORD, FILE, LOCKED }

    private static final String ALPHABET = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";

    public RootPassword {
        if (kind == null) {
            throw new IllegalArgumentException("root password kind missing");
        }
        if (kind == Kind.PASSWORD && (password == null || password.isEmpty())) {
            throw new IllegalArgumentException("--root-password password: needs a non-empty password");
        }
        if (password != null && (password.indexOf('\n') >= 0 || password.indexOf('\r') >= 0)) {
            throw new IllegalArgumentException("the root password must be one line");
        }
        if (kind == Kind.FILE && file == null) {
            throw new IllegalArgumentException("--root-password file: needs a file name");
        }
    }

    /** A random password, chosen at build time. */
    public static RootPassword random() {
        return new RootPassword(Kind.RANDOM, null, null);
    }

    /** A literal password. */
    public static RootPassword of(String password) {
        return new RootPassword(Kind.PASSWORD, password, null);
    }

    /** No password: root can log in with an injected ssh key only. */
    public static RootPassword locked() {
        return new RootPassword(Kind.LOCKED, null, null);
    }

    /**
     * Parses {@code random}, {@code locked}, {@code password:X} or {@code file:F}.
     *
     * @throws IllegalArgumentException for any other form
     */
    public static RootPassword parse(String s) {
        if (s.equals("random")) {
            return random();
        }
        if (s.equals("locked") || s.equals("disabled")) {
            return locked();
        }
        if (s.startsWith("password:")) {
            return of(s.substring("password:".length()));
        }
        if (s.startsWith("file:")) {
            String f = s.substring("file:".length());
            if (f.isEmpty()) {
                throw new IllegalArgumentException("--root-password file: needs a file name");
            }
            return new RootPassword(Kind.FILE, null, Path.of(f));
        }
        throw new IllegalArgumentException("--root-password must be random, locked, password:X or file:F, not '" + s + "'");
    }

    /**
     * The password to set, or null for {@link Kind#LOCKED}: generated for {@link Kind#RANDOM}, read for
     * {@link Kind#FILE} (its first line, which must not be empty).
     */
    public String resolve() {
        switch (kind) {
            case RANDOM: {
                SecureRandom r = new SecureRandom();
                StringBuilder b = new StringBuilder();
                for (int i = 0; i < 16; i++) {
                    b.append(ALPHABET.charAt(r.nextInt(ALPHABET.length())));
                }
                return b.toString();
            }
            case PASSWORD:
                return password;
            case FILE: {
                String line;
                try {
                    line = Files.readAllLines(file, StandardCharsets.UTF_8).stream().findFirst().orElse("");
                } catch (IOException e) {
                    throw new IllegalArgumentException("cannot read the root password from " + file + ": " + e.getMessage());
                }
                if (line.isEmpty()) {
                    throw new IllegalArgumentException("the root password file " + file + " is empty");
                }
                return line;
            }
            default:
                return null;
        }
    }

    @Override
    public String toString() {
        return kind == Kind.PASSWORD ? "password:***" : kind == Kind.FILE ? "file:" + file : kind.name().toLowerCase();
    }
}
