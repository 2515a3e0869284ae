package io.kvmj.junit5;

import io.kvmj.core.image.QemuImg;
import io.kvmj.core.model.GuestSpec;
import io.kvmj.launcher.Guest;
import io.kvmj.launcher.LaunchOptions;
import io.kvmj.launcher.Launcher;
import io.kvmj.launcher.demo.DemoException;
import io.kvmj.launcher.demo.KvmjCache;
import io.kvmj.launcher.process.Executables;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns one {@link KvmjGuest} declaration into a running {@link ManagedGuest}: checks the host
 * ({@link MissingHostPolicy}), resolves the spec (built-in image or the test's factory), gives it a unique name,
 * puts overlays in front of its file disks, launches it and waits until it is ready. On any failure nothing is
 * left running and the exception carries the console tail and QEMU's stderr.
 */
final class GuestBooter {
    private static final Logger LOG = LoggerFactory.getLogger(GuestBooter.class);
    private static final Duration DEMO_SHUTDOWN = Duration.ofSeconds(2);
    private static final Duration OS_SHUTDOWN = Duration.ofSeconds(60);

    private GuestBooter() {}

    /**
     * Boots the guest {@code ann} declares.
     *
     * @param ann         the declaration
     * @param testClass   where {@link KvmjGuest#spec()} methods are looked up
     * @param declaration human-readable place of the declaration, e.g. {@code ShellTest.guest}
     * @param namePrefix  prefix of the unique guest name
     */
    static ManagedGuest boot(KvmjGuest ann, Class<?> testClass, String declaration, String namePrefix) {
        Source source = source(ann, testClass, declaration);
        GuestSpec factory = source == Source.FACTORY ? factorySpec(ann, testClass, declaration) : null;
        MissingHostPolicy policy = MissingHostPolicy.current();
        String qemu = LaunchOptions.DEFAULT_QEMU;
        if (Executables.find(qemu).isEmpty()) {
            throw policy.exception(qemu + " not found on PATH (install qemu-system-x86)");
        }
        String name = GuestNames.next(source == Source.FACTORY ? namePrefix : source.prefix);
        GuestSpec spec;
        String ready;
        switch (source) {
            case DEMO -> {
                try {
                    spec = DemoImage.get().spec(name);
                } catch (DemoException e) {
                    throw policy.exception("no demo guest: " + e.getMessage());
                }
                ready = Pattern.quote(DemoImage.READY);
            }
            case DEBIAN_12 -> {
                spec = Debian12Image.spec(name, Debian12Image.baseDisk());
                ready = Debian12Image.readyPattern(name);
            }
            default -> {
                spec = factory.toBuilder().name(name).build();
                ready = ann.ready();
            }
        }
        boolean overlays = source == Source.DEBIAN_12 || (source == Source.FACTORY && ann.overlayDisks());
        Path workDir = null;
        if (overlays && spec.disks().stream().anyMatch(DiskOverlays::needsOverlay)) {
            if (Executables.find(QemuImg.defaultBinary()).isEmpty()) {
                throw policy.exception(QemuImg.defaultBinary() + " not found on PATH (install qemu-utils)");
            }
            try {
                workDir = Files.createTempDirectory("kvmj-junit5-" + name + "-");
                spec = DiskOverlays.apply(spec, workDir);
            } catch (IOException | RuntimeException e) {
                deleteQuietly(workDir);
                throw new GuestBootException(declaration + ": cannot create disk overlays for guest " + name + ": "
                        + e.getMessage(), e);
            }
        }
        return launch(spec, ready, ann, declaration, workDir, source == Source.DEMO);
    }

    private static ManagedGuest launch(GuestSpec spec, String ready, KvmjGuest ann, String declaration, Path workDir,
                                       boolean quickStop) {
        Duration bound = Duration.ofSeconds(Math.max(1, ann.bootTimeoutSeconds()));
        long deadline = System.nanoTime() + bound.toNanos();
        Launcher launcher = Launcher.create(LaunchOptions.defaults().withReadyTimeout(bound)
                .withShutdownTimeout(quickStop ? DEMO_SHUTDOWN : OS_SHUTDOWN));
        Guest guest;
        try {
            guest = launcher.launch(spec);
        } catch (RuntimeException e) {
            deleteQuietly(workDir);
            throw new GuestBootException(declaration + ": guest " + spec.name() + " did not start: " + e.getMessage(), e);
        }
        ManagedGuest managed = new ManagedGuest(guest, declaration, workDir, quickStop);
        try {
            if (!ready.isEmpty()) {
                Duration left = Duration.ofNanos(Math.max(1, deadline - System.nanoTime()));
                guest.awaitConsole(Pattern.compile(ready), left);
            }
            LOG.info("{}: guest {} ready (pid {}, accelerator {}: {})", declaration, guest.name(), guest.pid(),
                    guest.accelerator().accelerator(), guest.accelerator().reason());
            return managed;
        } catch (RuntimeException e) {
            String console = managed.consoleTail();
            String stderr = guest.stderrTail();
            try {
                managed.close();
            } catch (RuntimeException closing) {
                e.addSuppressed(closing);
            }
            throw new GuestBootException(declaration + ": guest " + guest.name() + " was not ready (/" + ready + "/ within "
                    + bound.toSeconds() + " s): " + e.getMessage() + "\n--- console (last "
                    + ManagedGuest.REPORT_LINES + " lines) ---\n" + console + "\n--- QEMU stderr ---\n" + stderr, e);
        }
    }

    private enum Source {
        DEMO("demo"), DEBIAN_12("debian12"), FACTORY(null);

        final String prefix;

        Source(String prefix) {
            this.prefix = prefix;
        }
    }

    private static Source source(KvmjGuest ann, Class<?> testClass, String declaration) {
        boolean method = !ann.spec().isEmpty();
        boolean supplier = ann.specSupplier() != KvmjGuest.NoSpecSupplier.class;
        if (method && supplier) {
            throw new ExtensionConfigurationException(declaration + ": @KvmjGuest has both spec and specSupplier; "
                    + "give one");
        }
        if ((method || supplier) && ann.image() != GuestImage.DEMO) {
            throw new ExtensionConfigurationException(declaration + ": @KvmjGuest has image = " + ann.image()
                    + " and a spec factory; give one");
        }
        if (method || supplier) {
            return Source.FACTORY;
        }
        return ann.image() == GuestImage.DEBIAN_12 ? Source.DEBIAN_12 : Source.DEMO;
    }

    private static GuestSpec factorySpec(KvmjGuest ann, Class<?> testClass, String declaration) {
        Object spec;
        try {
            if (!ann.spec().isEmpty()) {
                Method m = findMethod(testClass, ann.spec());
                if (m == null) {
                    throw new ExtensionConfigurationException(declaration + ": @KvmjGuest(spec = \"" + ann.spec()
                            + "\"): no static no-argument method " + ann.spec() + "() in " + testClass.getName()
                            + " or its superclasses");
                }
                m.setAccessible(true);
                spec = m.invoke(null);
            } else {
                var ctor = ann.specSupplier().getDeclaredConstructor();
                ctor.setAccessible(true);
                Supplier<GuestSpec> s = ctor.newInstance();
                spec = s.get();
            }
        } catch (ReflectiveOperationException e) {
            Throwable cause = e instanceof java.lang.reflect.InvocationTargetException ite ? ite.getCause() : e;
            throw new ExtensionConfigurationException(declaration + ": the GuestSpec factory failed: " + cause, cause);
        }
        if (!(spec instanceof GuestSpec gs)) {
            throw new ExtensionConfigurationException(declaration + ": the GuestSpec factory returned "
                    + (spec == null ? "null" : spec.getClass().getName()) + ", not a GuestSpec");
        }
        return gs;
    }

    private static Method findMethod(Class<?> type, String name) {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            for (Method m : c.getDeclaredMethods()) {
                if (m.getName().equals(name) && m.getParameterCount() == 0 && Modifier.isStatic(m.getModifiers())) {
                    return m;
                }
            }
        }
        return null;
    }

    private static void deleteQuietly(Path dir) {
        if (dir != null) {
            try {
                KvmjCache.deleteTree(dir);
            } catch (IOException e) {
                LOG.warn("could not delete {}: {}", dir, e.toString());
            }
        }
    }
}
