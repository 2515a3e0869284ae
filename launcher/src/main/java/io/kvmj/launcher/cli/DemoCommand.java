package io.kvmj.launcher.cli;

import io.kvmj.launcher.demo.DemoGuest;
import io.kvmj.launcher.demo.DemoOptions;
import io.kvmj.launcher.demo.DemoReport;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code kvmj demo}: boots the built-in demo guest (real kernel, Java-built initramfs, virtio-blk scratch disk,
 * virtio-9p share) and reports each in-guest check. Exit 0 only when every check passed.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = {"Boot the built-in demo guest and check its virtio-blk disk and 9p share.",
        "Kernel: --kernel, else $KVMJ_KERNEL, else /boot/vmlinuz-$(uname -r), else Debian's kernel"
            + " (downloaded once with apt-get into $XDG_CACHE_HOME/kvmj)."},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:the guest booted and its disk and share checks passed", "1:the guest or a check failed",
        "2:bad usage (missing kernel, bad timeout)"})
public final class DemoCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--kernel", paramLabel = "PATH", description = "Guest kernel (bzImage) to boot.")
    Path kernel;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "180",
        description = "Kill the guest after this many seconds (default: ${DEFAULT-VALUE}).")
    long timeoutSeconds;

    @Option(names = "--keep", description = "Keep the work directory (initrd, disk, share, console.log).")
    boolean keep;

    @Option(names = "--json", description = "Print the report as JSON.")
    boolean json;

    @Option(names = "--console", description = "Echo the guest's serial console to stderr while it runs.")
    boolean console;

    @Override
    public Integer call() {
        if (timeoutSeconds <= 0) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                "--timeout must be positive, got " + timeoutSeconds);
        }
        DemoOptions opts = DemoOptions.defaults()
            .withKernel(kernel)
            .withTimeout(Duration.ofSeconds(timeoutSeconds))
            .withKeepWorkDir(keep)
            .withConsole(console ? line -> spec.commandLine().getErr().println("guest| " + line) : null);
        DemoReport report = DemoGuest.run(opts);
        spec.commandLine().getOut().print(json ? report.toJson() + System.lineSeparator() : report.summary());
        spec.commandLine().getOut().flush();
        return report.passed() ? 0 : 1;
    }
}
