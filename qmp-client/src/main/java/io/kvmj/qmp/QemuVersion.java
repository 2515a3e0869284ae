package io.kvmj.qmp;

/** A QEMU version triple as reported in the QMP greeting and by {@code query-version}. */
public record QemuVersion(int major, int minor, int micro) implements Comparable<QemuVersion> {

    /** True if this version is {@code major.minor} or newer. */
    public boolean isAtLeast(int major, int minor) {
        return compareTo(new QemuVersion(major, minor, 0)) >= 0;
    }

    @Override
    public int compareTo(QemuVersion o) {
        int c = Integer.compare(major, o.major);
        if (c == 0) {
            c = Integer.compare(minor, o.minor);
        }
        return c != 0 ? c : Integer.compare(micro, o.micro);
    }

    @Override
    public String toString() {
        return major + "." + minor + "." + micro;
    }
}
