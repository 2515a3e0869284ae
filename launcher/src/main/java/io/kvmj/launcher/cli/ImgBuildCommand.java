package io.kvmj.launcher.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kvmj.core.image.ByteSize;
import io.kvmj.core.image.ImageFormat;
import io.kvmj.core.image.QemuImgException;
import io.kvmj.launcher.demo.KvmjCache;
import io.kvmj.launcher.osimage.BuildResult;
import io.kvmj.launcher.osimage.DebianImageBuilder;
import io.kvmj.launcher.osimage.DebianRelease;
import io.kvmj.launcher.osimage.ImageBuildException;
import io.kvmj.launcher.osimage.ImageBuildSpec;
import io.kvmj.launcher.osimage.RootPassword;
import io.kvmj.launcher.osimage.SshKeyInjection;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code kvmj img build debian-12 -o FILE}: a bootable Debian disk image (virt-builder's vocabulary). The first
 * build of a package set runs mmdebstrap and lays out a base disk (minutes, cached under ~/.cache/kvmj/images);
 * later builds copy the base and customize it in seconds. Needs root.
 */
@Command(name = "build", mixinStandardHelpOptions = true,
    description = {"Build a bootable Debian image (BIOS/GRUB, serial console, qemu-guest-agent, sshd, cloud-init NoCloud,",
        "DHCP, root filesystem grown to the disk at first boot). Needs root; the base is cached."},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:built", "1:a build step failed (no output left behind)",
        "2:bad usage, missing tools, not root, no space, output exists", "130:interrupted (no output left behind)"})
public final class ImgBuildCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @ParentCommand
    ImgCommand parent;

    @Parameters(index = "0", paramLabel = "OS", description = "The OS to build; known: debian-12.")
    String os;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "FILE", description = "Image to write (must not exist).")
    Path output;

    @Option(names = "--size", converter = ImgSupport.SizeConverter.class, paramLabel = "SIZE",
        description = "Virtual disk size, e.g. 4G (default 4G); the root filesystem grows to it at first boot.")
    ByteSize size;

    @Option(names = "--format", defaultValue = "qcow2", paramLabel = "qcow2|raw", description = "Image format (default: ${DEFAULT-VALUE}).")
    String format;

    @Option(names = "--install", split = ",", paramLabel = "PKG", description = "Extra packages (part of the cached base).")
    List<String> install = new ArrayList<>();

    @Option(names = "--root-password", defaultValue = "random", paramLabel = "SELECTOR",
        description = "random (printed), password:X, file:F or locked (default: ${DEFAULT-VALUE}).")
    String rootPassword;

    @Option(names = "--ssh-inject", paramLabel = "USER:file:KEY.pub",
        description = "Append a public key to USER's authorized_keys (USER:file:PATH or USER:string:KEY); repeatable.")
    List<String> sshInject = new ArrayList<>();

    @Option(names = "--hostname", defaultValue = ImageBuildSpec.DEFAULT_HOSTNAME, description = "Guest hostname (default: ${DEFAULT-VALUE}).")
    String hostname;

    @Option(names = "--mirror", defaultValue = ImageBuildSpec.DEFAULT_MIRROR, paramLabel = "URL",
        description = "Debian mirror for the base build (default: ${DEFAULT-VALUE}).")
    String mirror;

    @Option(names = "--run-command", paramLabel = "CMD",
        description = {"Run CMD with /bin/sh inside the image (chroot, offline) after the other customizations, as",
            "virt-customize --run-command; repeatable, in order. A failing command fails the build (nothing left)."})
    List<String> runCommands = new ArrayList<>();

    @Option(names = "--json", description = "Print the result (or the error) as JSON on stdout.")
    boolean json;

    /** Parses and checks the options into a spec (no side effects). */
    ImageBuildSpec toSpec() {
        ImageBuildSpec.Builder b = ImageBuildSpec.builder(DebianRelease.of(os), output)
            .format(ImageFormat.of(format)).install(install).rootPassword(RootPassword.parse(rootPassword))
            .hostname(hostname).mirror(mirror);
        if (size != null) {
            b.size(size);
        }
        for (String s : sshInject) {
            b.sshInject(SshKeyInjection.parse(s));
        }
        runCommands.forEach(b::runCommand);
        return b.build();
    }

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter out = spec.commandLine().getOut();
        String name = spec.qualifiedName();
        int code;
        String message;
        try {
            ImageBuildSpec s = toSpec();
            BuildResult r;
            try (BuildProgressPrinter progress = BuildProgressPrinter.forConsole(err, name)) {
                r = DebianImageBuilder.create(KvmjCache.defaultRoot(System.getenv()).resolve("images"), parent.qemuImg())
                    .build(s, progress);
            }
            print(out, r);
            out.flush();
            return ExitCodes.OK;
        } catch (IllegalArgumentException e) {
            code = ExitCodes.USAGE;
            message = e.getMessage();
        } catch (ImageBuildException | QemuImgException | UncheckedIOException | IOException e) {
            code = Thread.currentThread().isInterrupted() ? ExitCodes.INTERRUPTED : ExitCodes.FAILED;
            message = code == ExitCodes.INTERRUPTED ? "interrupted; removed the partial image" : e.getMessage();
        }
        if (json) {
            ObjectNode o = Json.object();
            o.put("error", message);
            o.put("exitCode", code);
            out.println(Json.pretty(o));
            out.flush();
        }
        err.println(name + ": " + message);
        err.flush();
        return code;
    }

    private void print(PrintWriter out, BuildResult r) {
        if (json) {
            ObjectNode o = Json.object();
            o.put("output", r.output().toString());
            o.put("format", r.format());
            o.put("virtualSize", r.virtualBytes());
            o.put("os", r.release());
            o.put("hostname", r.hostname());
            if (r.rootPassword() != null) {
                o.put("rootPassword", r.rootPassword());
            }
            o.put("kernel", r.kernel());
            o.put("rootUuid", r.rootUuid());
            o.put("cacheKey", r.cacheKey());
            o.put("baseDisk", r.baseDisk().toString());
            o.put("baseCached", r.baseCached());
            o.put("seconds", r.elapsed().toMillis() / 1000.0);
            out.println(Json.pretty(o));
            return;
        }
        out.println("built " + r.output() + ": " + r.release() + ", " + r.format() + ", "
            + ByteSize.ofBytes(r.virtualBytes()).toHuman() + ", hostname " + r.hostname() + ", kernel " + r.kernel()
            + (r.baseCached() ? " (cached base)" : "") + " in " + BuildProgressPrinter.seconds(r.elapsed().toNanos()));
        if (r.rootPassword() != null) {
            out.println("root password: " + r.rootPassword());
        }
    }
}
