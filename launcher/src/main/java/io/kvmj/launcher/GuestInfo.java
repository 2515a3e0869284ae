package io.kvmj.launcher;

import java.nio.file.Path;

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
}
