package io.kvmj.launcher.storage;

/**
 * A hot-plug or hot-unplug QEMU or the guest did not complete: QEMU refused a command (its message is included), or
 * the guest did not release a device in time. Bad input (a disk that cannot be hot-plugged, a name in use) is an
 * {@link IllegalArgumentException} or {@link io.kvmj.core.model.InvalidSpecException} instead, an unknown drive an
 * {@link UnknownDriveException}.
 */
public class HotplugException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public HotplugException(String message, Throwable cause) {
        super(message, cause);
    }

    public HotplugException(String message) {
        super(message);
    }
}
