package io.kvmj.launcher.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kvmj.launcher.GuestException;
import io.kvmj.launcher.GuestInfo;
import io.kvmj.launcher.GuestRegistry;
import io.kvmj.qga.QgaClient;
import io.kvmj.qga.QgaClientOptions;
import io.kvmj.qga.QgaErrorException;
import io.kvmj.qga.QgaException;
import io.kvmj.qga.model.GuestExecResult;
import io.kvmj.qga.model.GuestIpAddress;
import io.kvmj.qga.model.GuestNetworkInterface;
import io.kvmj.qga.model.GuestShutdownMode;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code kvmj agent NAME ACTION [ARGS]}: the QEMU guest agent of a running guest, through the virtio-serial
 * channel {@code org.qemu.guest_agent.0} that kvmj gives every guest (socket {@code qga.sock} in the runtime
 * directory).
 *
 * <pre>
 * kvmj agent vm1 ping
 * kvmj agent vm1 exec -- uname -r          # prints the command's output, exits with its exit status
 * kvmj agent vm1 fsfreeze; kvmj agent vm1 fsthaw
 * kvmj agent vm1 interfaces --json
 * </pre>
 */
@Command(name = "agent", mixinStandardHelpOptions = true,
        description = {"Talk to the QEMU guest agent (qemu-ga) inside a running guest.",
            "Actions: ping | info | exec -- CMD [ARG...] | fsfreeze [MOUNTPOINT...] | fsthaw | fsstatus | interfaces"
                + " | shutdown [powerdown|reboot|halt] | file-read PATH | file-write PATH (content from stdin)"
                + " | set-password USER (password from stdin, first line)",
            "The guest needs qemu-guest-agent installed and running (the images of 'kvmj img build' have it)."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:done", "1:the agent answered with an error, does not answer, or the guest is not running",
            "2:bad usage",
            "exec:the command's exit status (128+N when killed by signal N); 255 when kvmj could not run it"})
public final class AgentCommand implements Callable<Integer> {
    /** {@code exec}: kvmj could not run the command (same convention as ssh). */
    static final int EXEC_FAILED = 255;

    @Spec
    CommandSpec spec;

    @Option(names = "--socket", paramLabel = "PATH",
            description = "Use this agent socket instead of a named guest's (then give no NAME).")
    Path socket;

    @Option(names = "--timeout", defaultValue = "30", paramLabel = "SECONDS",
            description = "Bound on each agent command, and on 'exec' (default ${DEFAULT-VALUE}).")
    long timeout;

    @Option(names = "--stdin", description = "exec: pass kvmj's standard input to the command.")
    boolean stdin;

    @Option(names = "--json", description = "Print the result as JSON.")
    boolean json;

    @Parameters(paramLabel = "NAME ACTION [ARGS]", description = "Guest name (omit with --socket), action, arguments.")
    List<String> args = new ArrayList<>();

    @Override
    public Integer call() {
        String connect = ConnectOption.uri(spec);
        if (connect != null) {
            return LibvirtCli.agent(this, connect);
        }
        PrintWriter err = spec.commandLine().getErr();
        Path sock;
        List<String> rest;
        String label;
        try {
            if (socket != null) {
                sock = socket;
                rest = args;
                label = socket.toString();
            } else {
                if (args.isEmpty()) {
                    throw new IllegalArgumentException("give a guest NAME or --socket PATH");
                }
                GuestInfo g = GuestRegistry.require(args.get(0));
                sock = g.runtimeDir().resolve("qga.sock");
                rest = args.subList(1, args.size());
                label = g.name();
                if (!Files.exists(sock)) {
                    return fail(err, "guest", "guest '" + g.name() + "' has no guest-agent channel (launched without a"
                            + " PCI bus, or by an older kvmj)", "exec".equals(first(rest)));
                }
            }
            if (rest.isEmpty()) {
                throw new IllegalArgumentException("give an ACTION: ping, info, exec, fsfreeze, fsthaw, fsstatus, "
                        + "interfaces, shutdown, file-read, file-write, set-password");
            }
            if (timeout <= 0) {
                throw new IllegalArgumentException("--timeout must be positive");
            }
        } catch (IllegalArgumentException e) {
            return usage(err, e.getMessage());
        } catch (GuestException e) {
            return fail(err, "guest", e.getMessage(), "exec".equals(first(args.size() > 1 ? args.subList(1, 2) : args)));
        }
        String action = rest.get(0).toLowerCase(Locale.ROOT);
        List<String> params = rest.subList(1, rest.size());
        Duration d = Duration.ofSeconds(timeout);
        QgaClientOptions opts = QgaClientOptions.builder().commandTimeout(d).build();
        try (QgaClient qga = QgaClient.open(sock, opts)) {
            return switch (action) {
                case "ping" -> noArgs(action, params, () -> {
                    qga.ping();
                    done("ping", "agent answers");
                });
                case "info" -> noArgs(action, params, () -> info(qga));
                case "exec" -> exec(qga, params, d, label);
                case "fsfreeze" -> {
                    int n = params.isEmpty() ? qga.fsfreezeFreeze() : qga.fsfreezeFreeze(params);
                    done("fsfreeze", "froze " + n + " filesystem(s); thaw with: kvmj agent " + label + " fsthaw",
                            "frozen", n);
                    yield ExitCodes.OK;
                }
                case "fsthaw" -> noArgs(action, params, () -> {
                    int n = qga.fsfreezeThaw();
                    done("fsthaw", "thawed " + n + " filesystem(s)", "thawed", n);
                });
                case "fsstatus" -> noArgs(action, params, () -> {
                    String s = qga.fsfreezeStatus().name().toLowerCase(Locale.ROOT);
                    done("fsstatus", s, "status", s);
                });
                case "interfaces" -> noArgs(action, params, () -> interfaces(qga));
                case "shutdown" -> shutdown(qga, params);
                case "file-read" -> fileRead(qga, params);
                case "file-write" -> fileWrite(qga, params);
                case "set-password" -> setPassword(qga, params);
                default -> usage(err, "unknown action '" + rest.get(0) + "' (ping, info, exec, fsfreeze, fsthaw, "
                        + "fsstatus, interfaces, shutdown, file-read, file-write, set-password)");
            };
        } catch (IllegalArgumentException e) {
            return usage(err, e.getMessage());
        } catch (QgaErrorException e) {
            return fail(err, "agent-error", label + ": the agent refused: " + e.getMessage(), "exec".equals(action));
        } catch (QgaException e) {
            return fail(err, kind(e), label + ": " + e.getMessage(), "exec".equals(action));
        } catch (IOException e) {
            return fail(err, "io", e.getMessage(), false);
        }
    }

    private interface Action {
        void run() throws IOException;
    }

    private int noArgs(String action, List<String> params, Action a) throws IOException {
        if (!params.isEmpty()) {
            throw new IllegalArgumentException(action + " takes no arguments");
        }
        a.run();
        return ExitCodes.OK;
    }

    private void info(QgaClient qga) {
        var info = qga.info();
        var os = qga.osInfo();
        String host = qga.hostName();
        if (json) {
            ObjectNode o = Json.object();
            o.put("agentVersion", info.version());
            o.put("hostName", host);
            o.set("os", Json.MAPPER.valueToTree(os));
            ArrayNode cmds = o.putArray("enabledCommands");
            info.supportedCommands().stream().filter(c -> c.enabled()).forEach(c -> cmds.add(c.name()));
            print(Json.pretty(o));
        } else {
            print("agent    qemu-ga " + info.version());
            print("host     " + host);
            print("os       " + os.prettyName() + " (kernel " + os.kernelRelease() + ", " + os.machine() + ")");
            print("commands " + info.supportedCommands().stream().filter(c -> c.enabled()).count() + " enabled");
        }
    }

    private int exec(QgaClient qga, List<String> params, Duration d, String label) throws IOException {
        if (params.isEmpty()) {
            throw new IllegalArgumentException("exec: give the command after '--', e.g. kvmj agent NAME exec -- uname -r");
        }
        byte[] input = stdin ? System.in.readAllBytes() : null;
        GuestExecResult r = qga.exec(params, input, d);
        PrintStream out = System.out;
        int code = r.exitCode() != null ? r.exitCode() : r.signal() != null ? 128 + r.signal() : EXEC_FAILED;
        if (json) {
            ObjectNode o = Json.object();
            o.put("pid", r.pid());
            if (r.exitCode() != null) {
                o.put("exitCode", r.exitCode());
            } else {
                o.putNull("exitCode");
            }
            if (r.signal() != null) {
                o.put("signal", r.signal());
            } else {
                o.putNull("signal");
            }
            o.put("stdout", r.stdoutText());
            o.put("stderr", r.stderrText());
            o.put("stdoutTruncated", r.stdoutTruncated());
            o.put("stderrTruncated", r.stderrTruncated());
            print(Json.pretty(o));
        } else {
            out.write(r.stdout());
            out.flush();
            System.err.write(r.stderr());
            System.err.flush();
            if (r.signal() != null) {
                System.err.println("kvmj agent: " + label + ": '" + params.get(0) + "' killed by signal " + r.signal());
            }
        }
        return code;
    }

    private void interfaces(QgaClient qga) {
        List<GuestNetworkInterface> ifs = qga.networkInterfaces();
        if (json) {
            print(Json.pretty(Json.MAPPER.valueToTree(ifs)));
            return;
        }
        print(String.format("%-12s %-18s %s", "NAME", "MAC", "ADDRESSES"));
        for (GuestNetworkInterface i : ifs) {
            List<String> addrs = new ArrayList<>();
            for (GuestIpAddress a : i.ipAddresses()) {
                addrs.add(a.address() + "/" + a.prefix());
            }
            print(String.format("%-12s %-18s %s", i.name(), i.hardwareAddress() == null ? "-" : i.hardwareAddress(),
                    String.join(" ", addrs)));
        }
    }

    private int shutdown(QgaClient qga, List<String> params) {
        if (params.size() > 1) {
            throw new IllegalArgumentException("shutdown takes one mode: powerdown, reboot or halt");
        }
        String m = params.isEmpty() ? "powerdown" : params.get(0).toLowerCase(Locale.ROOT);
        GuestShutdownMode mode = switch (m) {
            case "powerdown" -> GuestShutdownMode.POWERDOWN;
            case "reboot" -> GuestShutdownMode.REBOOT;
            case "halt" -> GuestShutdownMode.HALT;
            default -> throw new IllegalArgumentException("shutdown mode '" + m + "': use powerdown, reboot or halt");
        };
        qga.shutdown(mode);
        done("shutdown", "asked the guest to " + m, "mode", m);
        return ExitCodes.OK;
    }

    private int fileRead(QgaClient qga, List<String> params) throws IOException {
        if (params.size() != 1) {
            throw new IllegalArgumentException("file-read takes one guest PATH");
        }
        byte[] data = qga.readFile(params.get(0));
        if (json) {
            ObjectNode o = Json.object();
            o.put("path", params.get(0));
            o.put("size", data.length);
            o.put("base64", java.util.Base64.getEncoder().encodeToString(data));
            print(Json.pretty(o));
        } else {
            System.out.write(data);
            System.out.flush();
        }
        return ExitCodes.OK;
    }

    private int fileWrite(QgaClient qga, List<String> params) throws IOException {
        if (params.size() != 1) {
            throw new IllegalArgumentException("file-write takes one guest PATH (content from stdin)");
        }
        byte[] data = System.in.readAllBytes();
        qga.writeFile(params.get(0), data);
        done("file-write", "wrote " + data.length + " bytes to " + params.get(0), "bytes", data.length);
        return ExitCodes.OK;
    }

    private int setPassword(QgaClient qga, List<String> params) throws IOException {
        if (params.size() != 1) {
            throw new IllegalArgumentException("set-password takes one USER (the password is read from stdin)");
        }
        String line = new String(System.in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).lines()
                .findFirst().orElse("");
        if (line.isEmpty()) {
            throw new IllegalArgumentException("set-password: no password on stdin");
        }
        qga.setUserPassword(params.get(0), line, false);
        done("set-password", "password of " + params.get(0) + " set", "user", params.get(0));
        return ExitCodes.OK;
    }

    private void done(String action, String text) {
        done(action, text, null, null);
    }

    private void done(String action, String text, String key, Object value) {
        if (json) {
            ObjectNode o = Json.object();
            o.put("action", action);
            o.put("ok", true);
            if (key != null) {
                o.set(key, Json.MAPPER.valueToTree(value));
            }
            print(Json.line(o));
        } else {
            print(text);
        }
    }

    private void print(String s) {
        PrintWriter out = spec.commandLine().getOut();
        out.println(s);
        out.flush();
    }

    private int usage(PrintWriter err, String message) {
        return report(err, "usage", message, ExitCodes.USAGE);
    }

    private int fail(PrintWriter err, String kind, String message, boolean exec) {
        return report(err, kind, message, exec ? EXEC_FAILED : ExitCodes.FAILED);
    }

    private int report(PrintWriter err, String kind, String message, int code) {
        err.println("kvmj agent: " + message);
        err.flush();
        if (json) {
            ObjectNode o = Json.object();
            ObjectNode e = o.putObject("error");
            e.put("kind", kind);
            e.put("message", message);
            print(Json.line(o));
        }
        return code;
    }

    private static String kind(QgaException e) {
        if (e instanceof io.kvmj.qga.QgaNotAnsweringException) {
            return "agent-not-answering";
        }
        if (e instanceof io.kvmj.qga.QgaGuestGoneException) {
            return "guest-gone";
        }
        if (e instanceof io.kvmj.qga.QgaExecTimeoutException) {
            return "exec-timeout";
        }
        return "agent";
    }

    private static String first(List<String> l) {
        return l.isEmpty() ? "" : l.get(0);
    }
}
