package io.kvmj.launcher.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kvmj.core.libvirt.DomainExport;
import io.kvmj.core.libvirt.LibvirtRefusedException;
import io.kvmj.core.model.GuestSpec;
import io.kvmj.core.model.InvalidSpecException;
import io.kvmj.launcher.GuestException;
import io.kvmj.launcher.ShutdownResult;
import io.kvmj.launcher.ShutdownStep;
import io.kvmj.launcher.backend.BackendGuest;
import io.kvmj.launcher.backend.LibvirtBackend;
import io.kvmj.qmp.QmpErrorException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The libvirt forms of {@code run}, {@code list}, {@code stop}, {@code qmp} and {@code agent} ({@code kvmj --connect
 * URI ...}), on {@link LibvirtBackend}. Same options, output shapes and exit codes as the local forms where they
 * mean the same; what has no libvirt meaning (raw QEMU arguments, kvmj's own sockets) is refused with exit 2.
 */
final class LibvirtCli {
    /** {@code run} options with no libvirt form. */
    private static final List<String> RUN_LOCAL_ONLY = List.of("--console", "--incoming", "--qemu", "--qemu-arg",
            "--cloud-init", "--ready-timeout");

    private LibvirtCli() {
    }

    static int run(RunCommand c, String uri) {
        PrintWriter out = c.spec.commandLine().getOut();
        PrintWriter err = c.spec.commandLine().getErr();
        var parsed = c.spec.commandLine().getParseResult();
        for (String o : RUN_LOCAL_ONLY) {
            if (parsed.hasMatchedOption(o)) {
                return usage(err, "run", o + " is not available with --connect (libvirt runs QEMU itself)");
            }
        }
        GuestSpec guest;
        try {
            guest = c.specFile != null ? c.fromSpecFile() : c.toSpec();
        } catch (InvalidSpecException e) {
            return usage(err, "run", SpecFlags.describe(e));
        } catch (IllegalArgumentException e) {
            return usage(err, "run", e.getMessage());
        }
        try (LibvirtBackend lv = LibvirtBackend.connect(uri)) {
            if (c.dryRun) {
                DomainExport x = lv.domainFor(guest);
                if (c.json) {
                    ObjectNode o = Json.object().put("name", guest.name()).put("connect", uri).put("xml", x.xml());
                    ExportCommand.notes(o.putArray("notes"), x.notes());
                    out.println(Json.pretty(o));
                } else {
                    out.print(x.xml());
                    x.notes().forEach(n -> err.println("note: " + n));
                }
                out.flush();
                err.flush();
                return ExitCodes.OK;
            }
            BackendGuest g = lv.start(guest, n -> err.println("note: " + n), !c.detach);
            if (c.json) {
                out.println(Json.pretty(guestJson(g, uri).put("detached", c.detach)));
            } else {
                out.printf("guest %s started under %s: domain id %d, %s%n", g.name(), uri, g.id(), g.state());
            }
            out.flush();
            err.flush();
            if (c.detach) {
                return ExitCodes.OK;
            }
            return foreground(lv, g.name(), uri, Duration.ofSeconds(c.shutdownTimeout), err);
        } catch (LibvirtRefusedException e) {
            err.println("kvmj run: libvirt cannot run this guest as kvmj would:");
            e.refusals().forEach(n -> err.println("  " + n));
            err.flush();
            return ExitCodes.USAGE;
        } catch (GuestException e) {
            return failed(err, "run", e.getMessage());
        }
    }

    /** Until the domain is off; Ctrl-C runs the shutdown ladder (the domain is autodestroyed if this JVM dies). */
    private static int foreground(LibvirtBackend lv, String name, String uri, Duration powerdown, PrintWriter err) {
        err.println("kvmj: guest running in the foreground under " + uri + "; Ctrl-C shuts it down");
        err.flush();
        Signals.onInterrupt(() -> {
            Thread t = new Thread(() -> {
                try (LibvirtBackend other = LibvirtBackend.connect(uri)) {
                    other.stop(name, powerdown, false);
                } catch (RuntimeException ignored) {
                    // already off
                }
            }, "kvmj-libvirt-stop");
            t.setDaemon(true);
            t.start();
        });
        while (lv.require(name).active()) {
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        err.println("kvmj: guest " + name + " ended");
        err.flush();
        return ExitCodes.OK;
    }

    static ObjectNode guestJson(BackendGuest g, String uri) {
        return Json.object().put("name", g.name()).put("state", g.state()).put("vcpus", g.vcpus())
                .put("memoryMiB", g.memoryMiB()).put("id", g.id()).put("uuid", g.uuid())
                .put("persistent", g.persistent()).put("connect", uri);
    }

    static int list(ListCommand c, String uri) {
        PrintWriter out = c.spec.commandLine().getOut();
        try (LibvirtBackend lv = LibvirtBackend.connect(uri)) {
            List<BackendGuest> guests = lv.list();
            if (c.json) {
                ArrayNode a = Json.MAPPER.createArrayNode();
                guests.forEach(g -> a.add(guestJson(g, uri)));
                out.println(Json.pretty(a));
            } else if (guests.isEmpty()) {
                out.println("no guests under " + uri);
            } else {
                String fmt = "%-20s %5s  %-11s %5s %8s%n";
                out.printf(fmt, "NAME", "ID", "STATE", "VCPUS", "MEMORY");
                for (BackendGuest g : guests) {
                    out.printf(fmt, g.name(), g.id() < 0 ? "-" : g.id(), g.state(), g.vcpus(), g.memoryMiB() + "M");
                }
            }
            out.flush();
            return ExitCodes.OK;
        } catch (GuestException e) {
            return failed(c.spec.commandLine().getErr(), "list", e.getMessage());
        }
    }

    static int stop(StopCommand c, String uri) {
        PrintWriter out = c.spec.commandLine().getOut();
        try (LibvirtBackend lv = LibvirtBackend.connect(uri)) {
            ShutdownResult r = lv.stop(c.name, Duration.ofSeconds(c.timeout), c.force);
            if (c.json) {
                out.println(Json.pretty(GuestJson.of(c.name, r).put("connect", uri)));
            } else {
                out.printf("guest %s stopped: %s%s (%d ms)%n", c.name, r.how().name().toLowerCase(Locale.ROOT),
                        r.graceful() ? (r.steps().contains(ShutdownStep.AGENT_SHUTDOWN) ? " through the guest agent" : "")
                                : " (libvirt's destroy: a hard stop, the guest did not power itself off)",
                        r.took().toMillis());
            }
            out.flush();
            return ExitCodes.OK; // the domain is off either way; graceful:false in JSON says how
        } catch (GuestException e) {
            return failed(c.spec.commandLine().getErr(), "stop", e.getMessage());
        }
    }

    static int qmp(QmpCliCommand c, String uri) {
        PrintWriter err = c.spec.commandLine().getErr();
        if (c.socket != null) {
            return usage(err, "qmp", "--socket is not available with --connect (libvirt owns the monitor)");
        }
        if (c.args.size() < 2 || c.args.size() > 3) {
            return usage(err, "qmp", "expected NAME COMMAND [JSON-ARGS]");
        }
        JsonNode arguments = null;
        if (c.args.size() == 3) {
            try {
                arguments = Json.MAPPER.readTree(c.args.get(2));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                return usage(err, "qmp", "JSON-ARGS is not valid JSON: " + e.getOriginalMessage());
            }
            if (arguments == null || !arguments.isObject()) {
                return usage(err, "qmp", "JSON-ARGS must be a JSON object, e.g. '{\"device\":\"disk0\"}'");
            }
        }
        return call(c.spec, "qmp", uri, c.args.get(0), c.args.get(1), arguments, Duration.ofSeconds(c.timeout), false);
    }

    static int agent(AgentCommand c, String uri) {
        PrintWriter err = c.spec.commandLine().getErr();
        if (c.socket != null) {
            return usage(err, "agent", "--socket is not available with --connect (libvirt owns the agent channel)");
        }
        if (c.args.size() < 2) {
            return usage(err, "agent", "expected NAME ACTION");
        }
        String action = c.args.get(1).toLowerCase(Locale.ROOT);
        String command = switch (action) {
            case "ping" -> "guest-ping";
            case "info" -> "guest-info";
            default -> action.startsWith("guest-") ? action : null;
        };
        if (command == null || c.args.size() > 3 || (c.args.size() == 3 && !action.startsWith("guest-"))) {
            return usage(err, "agent", "with --connect: ping, info, or a raw agent command (guest-...) with optional "
                    + "JSON arguments; stop the guest with 'kvmj --connect URI stop' (its ladder uses the agent)");
        }
        JsonNode arguments = null;
        if (c.args.size() == 3) {
            try {
                arguments = Json.MAPPER.readTree(c.args.get(2));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                return usage(err, "agent", "arguments are not valid JSON: " + e.getOriginalMessage());
            }
        }
        return call(c.spec, "agent", uri, c.args.get(0), command, arguments, Duration.ofSeconds(Math.max(1, c.timeout)), true);
    }

    /** Monitor events as JSON lines (the local shape), until the domain is off, --count, --timeout or Ctrl-C. */
    static int events(EventsCommand c, String uri) throws InterruptedException {
        PrintWriter out = c.spec.commandLine().getOut();
        PrintWriter err = c.spec.commandLine().getErr();
        if (c.socket != null || c.args.size() != 1) {
            return usage(err, "events", "with --connect: give the guest NAME (libvirt owns the monitor; no --socket)");
        }
        String name = c.args.get(0);
        java.util.concurrent.atomic.AtomicInteger seen = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.CountDownLatch counted = new java.util.concurrent.CountDownLatch(1);
        try (LibvirtBackend lv = LibvirtBackend.connectWithEvents(uri);
             var ev = lv.events(name, e -> {
                 synchronized (out) {
                     out.println(Json.line(EventsCommand.toJson(e)));
                     out.flush();
                 }
                 if (c.count != null && seen.incrementAndGet() >= c.count) {
                     counted.countDown();
                 }
             })) {
            err.println("kvmj: streaming QMP events of " + name + " under " + uri);
            err.flush();
            long end = c.timeout > 0 ? System.nanoTime() + c.timeout * 1_000_000_000L : Long.MAX_VALUE;
            // until the domain is off (its last events are delivered before libvirt reports it off), count or timeout
            while (!counted.await(200, java.util.concurrent.TimeUnit.MILLISECONDS) && System.nanoTime() < end) {
                if (!lv.require(name).active()) {
                    counted.await(500, java.util.concurrent.TimeUnit.MILLISECONDS);
                    break;
                }
            }
            return ExitCodes.OK;
        } catch (GuestException e) {
            return failed(err, "events", e.getMessage());
        }
    }

    private static int call(CommandSpec spec, String cmd, String uri, String name, String command, JsonNode arguments,
                            Duration timeout, boolean agent) {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try (LibvirtBackend lv = LibvirtBackend.connect(uri)) {
            JsonNode reply = agent ? lv.agent(name, command, arguments, timeout) : lv.qmp(name, command, arguments, timeout);
            out.println(Json.pretty(reply));
            out.flush();
            return ExitCodes.OK;
        } catch (QmpErrorException e) {
            return failed(err, cmd, e.errorClass() + ": " + e.description());
        } catch (GuestException e) {
            return failed(err, cmd, e.getMessage());
        }
    }

    private static int usage(PrintWriter err, String cmd, String msg) {
        err.println("kvmj " + cmd + ": " + msg);
        err.flush();
        return ExitCodes.USAGE;
    }

    private static int failed(PrintWriter err, String cmd, String msg) {
        err.println("kvmj " + cmd + ": " + msg);
        err.flush();
        return ExitCodes.FAILED;
    }
}
