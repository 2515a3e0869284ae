package io.kvmj.launcher.ssh;

import java.util.List;

/**
 * An ssh command line for a guest, ready to run.
 *
 * @param argv  {@code ssh} and its arguments
 * @param notes lines worth telling the user (how the host key is checked; what to do when it changed)
 */
public record SshInvocation(List<String> argv, List<String> notes) {
    public SshInvocation {
        argv = List.copyOf(argv);
        notes = List.copyOf(notes);
    }
}
