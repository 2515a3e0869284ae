package io.kvmj.launcher.cli;

import picocli.CommandLine;

/** Entry point of the {@code kvmj} fat jar. */
public final class Main {
    private Main() {}

    /** Builds the picocli command line used by {@link #main} and by tests. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new KvmjCommand());
        cl.setExitCodeExceptionMapper(t -> 2);
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            cmd.getErr().println("kvmj: " + (ex.getMessage() == null ? ex.toString() : ex.getMessage()));
            if (Boolean.getBoolean("kvmj.debug")) {
                ex.printStackTrace(cmd.getErr());
            }
            return 2;
        });
        return cl;
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }
}
