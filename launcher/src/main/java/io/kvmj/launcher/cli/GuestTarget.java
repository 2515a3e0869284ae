package io.kvmj.launcher.cli;

import io.kvmj.launcher.GuestInfo;
import io.kvmj.launcher.GuestRegistry;
import java.nio.file.Path;
import java.util.List;

/** Resolves {@code NAME | --socket PATH} followed by further positional arguments. */
final class GuestTarget {
    final String label;
    final Path socket;
    final GuestInfo guest;
    final List<String> rest;

    private GuestTarget(String label, Path socket, GuestInfo guest, List<String> rest) {
        this.label = label;
        this.socket = socket;
        this.guest = guest;
        this.rest = rest;
    }

    /**
     * @param socket explicit socket, or null to take a guest name from {@code args[0]}
     * @throws IllegalArgumentException when neither is given
     * @throws io.kvmj.launcher.GuestException when the named guest is not running
     */
    static GuestTarget resolve(Path socket, List<String> args, boolean qmp) {
        return resolve(socket, args, qmp, false);
    }

    /** As {@link #resolve(Path, List, boolean)}; {@code events} picks the guest's events socket. */
    static GuestTarget resolve(Path socket, List<String> args, boolean qmp, boolean events) {
        if (socket != null) {
            return new GuestTarget(socket.toString(), socket, null, args);
        }
        if (args.isEmpty()) {
            throw new IllegalArgumentException("give a guest NAME or --socket PATH");
        }
        GuestInfo g = GuestRegistry.require(args.get(0));
        Path s = events ? g.eventsSocket() : qmp ? g.qmpSocket() : g.consoleSocket();
        if (s == null) {
            throw new IllegalArgumentException("guest '" + g.name() + "' was launched without kvmj's console");
        }
        return new GuestTarget(g.name(), s, g, args.subList(1, args.size()));
    }
}
