package io.kvmj.launcher.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A file an {@code img} command writes with a child process (qemu-img), published only when complete. The child
 * writes a hidden temporary file next to the target; {@link #publish()} links it to the target name, failing if
 * that name exists by then (two racing creates: exactly one wins). If the command fails, or the JVM is interrupted
 * (SIGINT, SIGTERM), the temporary file is removed; on an interrupt the command's child processes are killed first
 * (none is left writing as an orphan) and one line on stderr says what was removed.
 *
 * <pre>{@code
 * try (AtomicOutput out = AtomicOutput.begin(spec, target)) {
 *     qemuImg.convert(source, out.temp(), opts, progress);
 *     out.publish();
 * }
 * }</pre>
 */
final class AtomicOutput implements AutoCloseable {
    private static volatile boolean interrupted;

    private final Path target;
    private final Path temp;
    private final Thread hook;
    private volatile boolean published;

    private AtomicOutput(Path target, Path temp, String command, PrintWriter err) {
        this.target = target;
        this.temp = temp;
        this.hook = new Thread(() -> onInterrupt(command, err), "kvmj-unfinished-output");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /**
     * Starts writing {@code target}.
     *
     * @throws IllegalArgumentException when {@code target} exists or its directory does not
     */
    static AtomicOutput begin(picocli.CommandLine.Model.CommandSpec spec, Path target) {
        if (Files.exists(target, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            throw new IllegalArgumentException(target + " already exists; refusing to overwrite it");
        }
        Path abs = target.toAbsolutePath();
        Path dir = abs.getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            throw new IllegalArgumentException("directory " + dir + " does not exist");
        }
        Path temp = dir.resolve("." + abs.getFileName() + ".kvmj-" + ProcessHandle.current().pid() + ".part");
        return new AtomicOutput(target, temp, spec.qualifiedName(), spec.commandLine().getErr());
    }

    /** True once an interrupt began: the command's own error message would only repeat the hook's line. */
    static boolean interrupted() {
        return interrupted;
    }

    /** Where the child writes. */
    Path temp() {
        return temp;
    }

    /**
     * Gives the finished file its name.
     *
     * @throws IllegalArgumentException when the target appeared meanwhile (another process created it)
     */
    void publish() {
        try {
            try {
                Files.createLink(target, temp);
            } catch (UnsupportedOperationException | IOException e) {
                if (e instanceof FileAlreadyExistsException) {
                    throw e;
                }
                // no hard links on this file system: a plain rename, refusing an existing target
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
            }
            published = true;
            Files.deleteIfExists(temp);
        } catch (FileAlreadyExistsException e) {
            throw new IllegalArgumentException(target + " was created by another process meanwhile; "
                    + "left it alone");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot name the new image " + target + ": " + e.getMessage(), e);
        }
    }

    /** Removes the temporary file unless published; unregisters the interrupt hook. */
    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            return; // the hook cleans up
        }
        removeTemp();
    }

    private void removeTemp() {
        try {
            Files.deleteIfExists(temp);
        } catch (IOException ignored) {
            // best effort
        }
    }

    private void onInterrupt(String command, PrintWriter err) {
        interrupted = true;
        List<ProcessHandle> children = ProcessHandle.current().descendants().toList();
        children.forEach(ProcessHandle::destroy);
        for (ProcessHandle c : children) {
            try {
                c.onExit().get(5, TimeUnit.SECONDS);
            } catch (Exception e) {
                c.destroyForcibly();
            }
        }
        if (!published) {
            removeTemp();
            err.println(command + ": interrupted; removed the unfinished " + target);
        } else {
            err.println(command + ": interrupted after " + target + " was complete; kept it");
        }
        err.flush();
    }
}
