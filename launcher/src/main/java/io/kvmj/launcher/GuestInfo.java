package io.kvmj.launcher;

import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A guest found through its runtime directory (see {@link GuestRegistry}).
 *
 * @param name              guest name
 * @param pid               QEMU's pid, or -1 when not known yet (launch in progress)
 * @param alive             QEMU runs
 * @param detached          launched with {@code --detach} (outlives its launcher)
 * @param accelerator       accelerator chosen at launch
 * @param acceleratorReason why
 * @param created           ISO-8601 launch time
 * @param runtimeDir        the runtime directory
 * @param qmpSocket         server-mode QMP socket any process may connect to (one client at a time)
 * @param eventsSocket      second server-mode QMP socket, used by {@code kvmj events}
 * @param consoleSocket     serial console socket, or {@code null} when launched without kvmj's console
 * @param consoleLog        serial console log, or {@code null}
 * @param commandLine       the QEMU command line, shell-quoted
 */
public record GuestInfo(String name, long pid, boolean alive, boolean detached, String accelerator,
                        String acceleratorReason, String created, Path runtimeDir, Path qmpSocket,
                        Path eventsSocket, Path consoleSocket, Path consoleLog, String commandLine) {
    private static final Pattern VNC = Pattern.compile("(?:^|\\s)'?-vnc'?\\s+'?([0-9A-Za-z.]+):(\\d+)");

    /** The VNC listener {@code HOST:PORT} (from the command line), empty without VNC. */
    public Optional<String> vnc() {
        return vncOf(commandLine);
    }

    /** The VNC listener {@code HOST:PORT} named by a shell-quoted QEMU command line ({@code -vnc HOST:DISPLAY}). */
    public static Optional<String> vncOf(String commandLine) {
        Matcher m = VNC.matcher(commandLine == null ? "" : commandLine);
        return m.find() ? Optional.of(m.group(1) + ":" + (5900 + Integer.parseInt(m.group(2)))) : Optional.empty();
    }
}
