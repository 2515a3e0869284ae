package io.kvmj.qga;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kvmj.qga.model.FsFreezeStatus;
import io.kvmj.qga.model.GuestAgentInfo;
import io.kvmj.qga.model.GuestExecRequest;
import io.kvmj.qga.model.GuestExecResult;
import io.kvmj.qga.model.GuestFileRead;
import io.kvmj.qga.model.GuestNetworkInterface;
import io.kvmj.qga.model.GuestOsInfo;
import io.kvmj.qga.model.GuestShutdownMode;
import io.kvmj.qmp.QmpJson;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Client of the QEMU guest agent ({@code qemu-ga}) over the host end of its virtio-serial channel
 * ({@code -chardev socket,path=PATH,server=on,wait=off,id=qga0 -device virtserialport,chardev=qga0,
 * name=org.qemu.guest_agent.0}). Same JSON as QMP, but no greeting, no capabilities and no ids: commands run one
 * at a time (callers from several threads are served in turn), and the client synchronises with
 * {@code guest-sync-delimited} (random id, {@code 0xFF} delimiters) on connect and after any timeout or garbage,
 * so a reply left over from before (an agent restart, a guest reboot, a timed-out command) is never taken as the
 * answer to a new command. A connection found closed before a command is sent is re-opened.
 *
 * <pre>{@code
 * try (QgaClient qga = QgaClient.open(Path.of("/run/vm/qga.sock"))) {
 *     qga.awaitAgent(Duration.ofMinutes(2));                  // guest booting: retry the handshake
 *     GuestExecResult r = qga.exec(List.of("uname", "-r"), Duration.ofSeconds(30));
 *     System.out.println(r.exitCode() + " " + r.stdoutText());
 *     qga.writeFile("/tmp/hello", "hi\n".getBytes(UTF_8));
 *     JsonNode users = qga.call("guest-get-users", null);   // anything without a typed method
 * } catch (QgaNotAnsweringException e) {
 *     // the guest runs, but no agent answers (not installed, not started yet)
 * } catch (QgaGuestGoneException e) {
 *     // no socket / connection refused or closed: QEMU is not there
 * } catch (QgaErrorException e) {
 *     // the agent refused: e.errorClass(), e.description()
 * }
 * }</pre>
 *
 * <p>Every method blocks the calling thread; no threads are started. Timeouts come from {@link QgaClientOptions}
 * (per call for {@link #call(String, Object, Duration)} and exec).
 */
public final class QgaClient implements AutoCloseable {
    /** Commands the agent does not answer when they succeed. */
    static final Set<String> NO_SUCCESS_REPLY = Set.of("guest-shutdown", "guest-suspend-disk", "guest-suspend-ram",
            "guest-suspend-hybrid");

    private final QgaTransport transport;
    private final QgaClientOptions options;

    private QgaClient(Path socket, QgaClientOptions options) {
        this.options = options;
        this.transport = new QgaTransport(socket, options);
    }

    /** {@link #open(Path, QgaClientOptions)} with the defaults. */
    public static QgaClient open(Path socket) {
        return open(socket, QgaClientOptions.defaults());
    }

    /**
     * Connects to the agent socket now (so a missing QEMU shows at once as {@link QgaGuestGoneException}); the
     * synchronisation handshake runs before the first command.
     */
    public static QgaClient open(Path socket, QgaClientOptions options) {
        QgaClient c = new QgaClient(Objects.requireNonNull(socket, "socket"), Objects.requireNonNull(options));
        c.transport.connect();
        return c;
    }

    /** The agent socket path. */
    public Path socket() {
        return transport.socket();
    }

    public QgaClientOptions options() {
        return options;
    }

    /** Whether a connection is open (it may still be unsynchronised). */
    public boolean isConnected() {
        return transport.connected();
    }

    /** Connections opened so far (1 after {@link #open}; more after the agent or QEMU restarted). */
    public long connects() {
        return transport.connects();
    }

    /** Successful {@code guest-sync-delimited} handshakes so far. */
    public long handshakes() {
        return transport.handshakes();
    }

    /**
     * Stale frames (replies, error lines, old handshake replies, garbage) discarded by handshakes so far. The
     * agent's parse-error reply to the {@code 0xFF} sent before each handshake counts as one.
     */
    public long discardedFrames() {
        return transport.discardedFrames();
    }

    // ---------------------------------------------------------------- synchronisation

    /** Runs a synchronisation handshake now ({@link QgaClientOptions#syncTimeout()}). */
    public void sync() {
        transport.sync(options.syncTimeout());
    }

    /**
     * Repeats the handshake until the agent answers, for at most {@code timeout} (the guest may still be
     * booting). {@link QgaNotAnsweringException} when it never does; {@link QgaGuestGoneException} at once when
     * the socket goes away.
     */
    public void awaitAgent(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new QgaNotAnsweringException(QgaTransport.SYNC, timeout);
            }
            try {
                transport.sync(Duration.ofNanos(Math.min(left, options.syncTimeout().toNanos())));
                return;
            } catch (QgaNotAnsweringException e) {
                // not up yet: the next handshake discards whatever this one left behind
            }
        }
    }

    // ---------------------------------------------------------------- generic

    /** Runs any agent command; {@code arguments} is a record, a map, a JSON object or {@code null}. */
    public JsonNode call(String command, Object arguments) {
        return call(command, arguments, options.commandTimeout());
    }

    /**
     * {@link #call(String, Object)} with its own reply timeout. For {@code guest-shutdown} and
     * {@code guest-suspend-*}, which the agent does not answer on success, silence for
     * {@link QgaClientOptions#shutdownReplyWait()} returns {@code null}.
     */
    public JsonNode call(String command, Object arguments, Duration timeout) {
        Objects.requireNonNull(command, "command");
        boolean noReply = NO_SUCCESS_REPLY.contains(command);
        return transport.execute(command, QmpJson.toArguments(arguments),
                noReply ? options.shutdownReplyWait() : timeout, noReply);
    }

    /** {@link #call(String, Object)} mapping the {@code return} value to {@code type}. */
    public <R> R call(String command, Object arguments, Class<R> type) {
        return map(call(command, arguments), type, command);
    }

    // ---------------------------------------------------------------- information

    /** {@code guest-ping}: returns when the agent answers. */
    public void ping() {
        call("guest-ping", null);
    }

    /** {@code guest-info}: agent version and commands. */
    public GuestAgentInfo info() {
        return call("guest-info", null, GuestAgentInfo.class);
    }

    /** {@code guest-get-osinfo}. */
    public GuestOsInfo osInfo() {
        return call("guest-get-osinfo", null, GuestOsInfo.class);
    }

    /** {@code guest-get-host-name}. */
    public String hostName() {
        return requireText(call("guest-get-host-name", null).get("host-name"), "guest-get-host-name");
    }

    /** {@code guest-network-get-interfaces}. */
    public List<GuestNetworkInterface> networkInterfaces() {
        return List.of(call("guest-network-get-interfaces", null, GuestNetworkInterface[].class));
    }

    // ---------------------------------------------------------------- exec

    /** Runs {@code argv} (output captured, no stdin) and waits for its exit at most {@code timeout}. */
    public GuestExecResult exec(List<String> argv, Duration timeout) {
        return exec(GuestExecRequest.builder(argv).timeout(timeout).build());
    }

    /** Runs {@code argv} with {@code stdin} fed to it (output captured) and waits at most {@code timeout}. */
    public GuestExecResult exec(List<String> argv, byte[] stdin, Duration timeout) {
        return exec(GuestExecRequest.builder(argv).stdin(stdin).timeout(timeout).build());
    }

    /**
     * Starts the process and polls {@code guest-exec-status} until it exits. {@link QgaExecTimeoutException}
     * (process left running) when it has not exited within the request's timeout.
     */
    public GuestExecResult exec(GuestExecRequest request) {
        return execWait(execStart(request), request.path(), request.timeout());
    }

    /** {@code guest-exec}: starts the process and returns its guest pid without waiting. */
    public long execStart(GuestExecRequest request) {
        ObjectNode args = QmpJson.object().put("path", request.path());
        ArrayNode arg = args.putArray("arg");
        request.args().forEach(arg::add);
        if (!request.env().isEmpty()) {
            ArrayNode env = args.putArray("env");
            request.env().forEach(env::add);
        }
        if (request.stdin() != null) {
            args.put("input-data", Base64.getEncoder().encodeToString(request.stdin()));
        }
        args.put("capture-output", request.captureOutput());
        JsonNode pid = call("guest-exec", args).get("pid");
        if (pid == null || !pid.canConvertToLong()) {
            throw new QgaProtocolException("guest-exec returned no pid");
        }
        return pid.asLong();
    }

    /** {@code guest-exec-status} once. After an exited status the agent forgets the pid. */
    public GuestExecResult execStatus(long pid) {
        ObjectNode args = QmpJson.object().put("pid", pid);
        JsonNode r = call("guest-exec-status", args);
        JsonNode code = r.get("exitcode");
        JsonNode signal = r.get("signal");
        return new GuestExecResult(pid, r.path("exited").asBoolean(false),
                code == null || code.isNull() ? null : code.asInt(),
                signal == null || signal.isNull() ? null : signal.asInt(),
                base64(r.get("out-data"), "guest-exec-status"), base64(r.get("err-data"), "guest-exec-status"),
                r.path("out-truncated").asBoolean(false), r.path("err-truncated").asBoolean(false));
    }

    /** Polls {@code guest-exec-status} for {@code pid} until it has exited, for at most {@code timeout}. */
    public GuestExecResult execWait(long pid, Duration timeout) {
        return execWait(pid, "pid " + pid, timeout);
    }

    private GuestExecResult execWait(long pid, String program, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        long pauseMs = 10;
        while (true) {
            GuestExecResult s = execStatus(pid);
            if (s.exited()) {
                return s;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new QgaExecTimeoutException(program, pid, timeout);
            }
            sleep(Math.min(pauseMs, Math.max(1, left / 1_000_000)));
            pauseMs = Math.min(pauseMs * 2, options.execPollMax().toMillis());
        }
    }

    // ---------------------------------------------------------------- files

    /** {@code guest-file-open} with an {@code fopen} mode ({@code r}, {@code w}, {@code a}, {@code r+}, ...). */
    public long fileOpen(String path, String mode) {
        ObjectNode args = QmpJson.object().put("path", path).put("mode", mode);
        JsonNode h = call("guest-file-open", args);
        if (h == null || !h.canConvertToLong()) {
            throw new QgaProtocolException("guest-file-open returned no handle: " + h);
        }
        return h.asLong();
    }

    /** {@code guest-file-read} of at most {@code count} bytes. */
    public GuestFileRead fileRead(long handle, int count) {
        JsonNode r = call("guest-file-read", QmpJson.object().put("handle", handle).put("count", count));
        byte[] data = base64(r.get("buf-b64"), "guest-file-read");
        if (r.has("count") && r.get("count").asLong() != data.length) {
            throw new QgaProtocolException("guest-file-read: count " + r.get("count") + " but " + data.length
                    + " bytes of data");
        }
        return new GuestFileRead(data, r.path("eof").asBoolean(false));
    }

    /** {@code guest-file-write} of {@code data[offset, offset+length)}; returns the bytes written. */
    public int fileWrite(long handle, byte[] data, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, data.length);
        String b64 = Base64.getEncoder().encodeToString(java.util.Arrays.copyOfRange(data, offset, offset + length));
        JsonNode r = call("guest-file-write", QmpJson.object().put("handle", handle).put("buf-b64", b64)
                .put("count", length));
        return r.path("count").asInt(-1);
    }

    /** {@code guest-file-close}. */
    public void fileClose(long handle) {
        call("guest-file-close", QmpJson.object().put("handle", handle));
    }

    /** Reads a whole guest file ({@link QgaClientOptions#fileChunkSize()} bytes per request). */
    public byte[] readFile(String path) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        readFile(path, out);
        return out.toByteArray();
    }

    /** Streams a whole guest file into {@code out}; returns the number of bytes. */
    public long readFile(String path, OutputStream out) {
        long handle = fileOpen(path, "r");
        long total = 0;
        try {
            while (true) {
                GuestFileRead chunk = fileRead(handle, options.fileChunkSize());
                out.write(chunk.data());
                total += chunk.count();
                if (chunk.eof() || chunk.count() == 0) {
                    break;
                }
            }
        } catch (IOException e) {
            closeAfterFailure(handle, e);
            throw new UncheckedIOException("cannot store guest file " + path, e);
        } catch (RuntimeException e) {
            closeAfterFailure(handle, e);
            throw e;
        }
        fileClose(handle);
        return total;
    }

    /**
     * Writes {@code data} to a guest file, creating or truncating it (mode {@code w}), in chunks of
     * {@link QgaClientOptions#fileChunkSize()}. The file is written in place: a failure can leave it partial.
     */
    public void writeFile(String path, byte[] data) {
        long handle = fileOpen(path, "w");
        try {
            int off = 0;
            while (off < data.length) {
                int len = Math.min(options.fileChunkSize(), data.length - off);
                int n = fileWrite(handle, data, off, len);
                if (n <= 0 || n > len) {
                    throw new QgaProtocolException("guest-file-write of " + len + " bytes to " + path
                            + " reported " + n + " written");
                }
                off += n;
            }
        } catch (RuntimeException e) {
            closeAfterFailure(handle, e);
            throw e;
        }
        fileClose(handle);
    }

    private void closeAfterFailure(long handle, Exception failure) {
        try {
            fileClose(handle);
        } catch (QgaException e) {
            failure.addSuppressed(e);
        }
    }

    // ---------------------------------------------------------------- fsfreeze

    /** {@code guest-fsfreeze-status}. */
    public FsFreezeStatus fsfreezeStatus() {
        return FsFreezeStatus.parse(requireText(call("guest-fsfreeze-status", null), "guest-fsfreeze-status"));
    }

    /** {@code guest-fsfreeze-freeze}: freezes every freezable filesystem; returns how many. */
    public int fsfreezeFreeze() {
        return requireInt(call("guest-fsfreeze-freeze", null), "guest-fsfreeze-freeze");
    }

    /** {@code guest-fsfreeze-freeze-list}: freezes the filesystems mounted at {@code mountpoints}. */
    public int fsfreezeFreeze(List<String> mountpoints) {
        ObjectNode args = QmpJson.object();
        ArrayNode list = args.putArray("mountpoints");
        mountpoints.forEach(list::add);
        return requireInt(call("guest-fsfreeze-freeze-list", args), "guest-fsfreeze-freeze-list");
    }

    /** {@code guest-fsfreeze-thaw}: returns how many filesystems were thawed. */
    public int fsfreezeThaw() {
        return requireInt(call("guest-fsfreeze-thaw", null), "guest-fsfreeze-thaw");
    }

    // ---------------------------------------------------------------- changes to the guest

    /**
     * {@code guest-shutdown}. The agent sends no reply when the shutdown starts, so this returns after
     * {@link QgaClientOptions#shutdownReplyWait()} of silence or when the socket closes; an error reply (e.g. the
     * command is disabled) is thrown as {@link QgaErrorException}.
     */
    public void shutdown(GuestShutdownMode mode) {
        call("guest-shutdown", QmpJson.object().put("mode", mode.wireName()));
    }

    /**
     * {@code guest-set-user-password}. With {@code crypted} the password is already a {@code crypt(3)} hash;
     * otherwise it is the clear text. Sent base64-encoded (UTF-8), as the agent expects.
     */
    public void setUserPassword(String username, String password, boolean crypted) {
        ObjectNode args = QmpJson.object().put("username", username)
                .put("password", Base64.getEncoder().encodeToString(password.getBytes(StandardCharsets.UTF_8)))
                .put("crypted", crypted);
        call("guest-set-user-password", args);
    }

    /** Closes the connection; a call waiting on another thread fails with {@link QgaClosedException}. */
    @Override
    public void close() {
        transport.close();
    }

    // ---------------------------------------------------------------- helpers

    private static <R> R map(JsonNode value, Class<R> type, String command) {
        try {
            return QmpJson.mapper().treeToValue(value, type);
        } catch (IOException | IllegalArgumentException e) {
            throw new QgaProtocolException("cannot map reply of " + command + " to " + type.getSimpleName() + ": "
                    + e.getMessage(), e);
        }
    }

    private static byte[] base64(JsonNode node, String command) {
        if (node == null || node.isNull()) {
            return new byte[0];
        }
        try {
            return Base64.getDecoder().decode(node.asText());
        } catch (IllegalArgumentException e) {
            throw new QgaProtocolException(command + ": invalid base64 data: " + e.getMessage(), e);
        }
    }

    private static String requireText(JsonNode node, String command) {
        if (node == null || !node.isTextual()) {
            throw new QgaProtocolException(command + ": expected a string, got " + node);
        }
        return node.asText();
    }

    private static int requireInt(JsonNode node, String command) {
        if (node == null || !node.canConvertToInt()) {
            throw new QgaProtocolException(command + ": expected an integer, got " + node);
        }
        return node.asInt();
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new QgaException("interrupted while waiting for a guest process");
        }
    }
}
