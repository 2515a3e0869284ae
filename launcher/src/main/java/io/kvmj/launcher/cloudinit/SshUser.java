package io.kvmj.launcher.cloudinit;

/**
 * The account ssh should log in as after cloud-init ran: {@code root}, a named user, or the image's default user
 * (cloud-init's {@code default}: {@code debian} on Debian cloud images, {@code ubuntu} on Ubuntu, …, which only the
 * image knows; then {@link #name()} is {@code null}).
 *
 * @param name         the user name, or {@code null} for the image's default user
 * @param imageDefault true for the image's default user
 */
public record SshUser(String name, boolean imageDefault) {
    /** root. */
    public static final SshUser ROOT = new SshUser("root", false);
    /** The image's default user (name known only to the image). */
    public static final SshUser IMAGE_DEFAULT = new SshUser(null, true);

    public SshUser {
        if ((name == null) != imageDefault) {
            throw new IllegalArgumentException("a named user, or the image default without a name");
        }
    }

    /** The user {@code name} ({@code default} means the image's default user, as in cloud-init). */
    public static SshUser named(String name) {
        return name == null || name.equals("default") ? IMAGE_DEFAULT : name.equals("root") ? ROOT : new SshUser(name, false);
    }

    /** {@code root}, the user's name, or {@code default} for the image's default user (as cloud-init calls it). */
    @Override
    public String toString() {
        return imageDefault ? "default" : name;
    }
}
