package io.kvmj.junit5;

import io.kvmj.launcher.Guest;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.LifecycleMethodExecutionExceptionHandler;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * The JUnit Jupiter extension behind {@link KvmjGuest} (registered by the annotation; registering it with
 * {@code @ExtendWith(KvmjExtension.class)} as well is harmless).
 *
 * <ul>
 *   <li>{@code beforeAll}: boots the guests of the class's static {@code @KvmjGuest} fields (superclasses too);</li>
 *   <li>{@code beforeEach}: boots the guests of the test instances' non-static {@code @KvmjGuest} fields;</li>
 *   <li>parameters annotated {@code @KvmjGuest} of type {@link Guest} get a guest of the parameter's scope
 *       (class for {@code @BeforeAll} methods, test method otherwise);</li>
 *   <li>each guest lives in the {@link ExtensionContext.Store} of its scope and is shut down when that scope
 *       ends, whatever the outcome;</li>
 *   <li>when a test (or a lifecycle method) fails, {@link FailureReport} publishes the console log and QEMU
 *       stderr of the guests in scope.</li>
 * </ul>
 *
 * <p>Thread-safe: under JUnit's parallel execution each scope boots its own guests (unique names), concurrently.
 */
public final class KvmjExtension implements BeforeAllCallback, BeforeEachCallback, ParameterResolver,
        AfterTestExecutionCallback, LifecycleMethodExecutionExceptionHandler {
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(KvmjExtension.class);

    @Override
    public void beforeAll(ExtensionContext context) {
        Class<?> testClass = context.getRequiredTestClass();
        for (Field f : annotatedFields(testClass)) {
            if (Modifier.isStatic(f.getModifiers())) {
                inject(context, f, null);
            }
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        for (Object instance : context.getRequiredTestInstances().getAllInstances()) {
            for (Field f : annotatedFields(instance.getClass())) {
                if (!Modifier.isStatic(f.getModifiers())) {
                    inject(context, f, instance);
                }
            }
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext pc, ExtensionContext context) {
        if (!pc.isAnnotated(KvmjGuest.class)) {
            return false;
        }
        if (pc.getParameter().getType() != Guest.class) {
            throw new ParameterResolutionException("@KvmjGuest parameter " + describe(pc.getParameter())
                    + " must be of type " + Guest.class.getName());
        }
        return true;
    }

    @Override
    public Object resolveParameter(ParameterContext pc, ExtensionContext context) {
        KvmjGuest ann = pc.findAnnotation(KvmjGuest.class).orElseThrow();
        Parameter p = pc.getParameter();
        Class<?> testClass = context.getTestClass().orElse(p.getDeclaringExecutable().getDeclaringClass());
        String declaration = p.getDeclaringExecutable().getDeclaringClass().getSimpleName() + "."
                + p.getDeclaringExecutable().getName() + "(" + (p.isNamePresent() ? p.getName()
                : "parameter " + pc.getIndex()) + ")";
        return register(context, GuestBooter.boot(ann, testClass, declaration,
                p.getDeclaringExecutable().getName())).guest();
    }

    @Override
    public void afterTestExecution(ExtensionContext context) {
        context.getExecutionException().ifPresent(e -> FailureReport.publish(context, guestsInScope(context), e));
    }

    @Override
    public void handleBeforeAllMethodExecutionException(ExtensionContext context, Throwable t) throws Throwable {
        throw reported(context, t);
    }

    @Override
    public void handleBeforeEachMethodExecutionException(ExtensionContext context, Throwable t) throws Throwable {
        throw reported(context, t);
    }

    @Override
    public void handleAfterEachMethodExecutionException(ExtensionContext context, Throwable t) throws Throwable {
        throw reported(context, t);
    }

    @Override
    public void handleAfterAllMethodExecutionException(ExtensionContext context, Throwable t) throws Throwable {
        throw reported(context, t);
    }

    private static Throwable reported(ExtensionContext context, Throwable t) {
        FailureReport.publish(context, guestsInScope(context), t);
        return t;
    }

    /** The guests of {@code context} and its ancestors, innermost first. */
    static List<ManagedGuest> guestsInScope(ExtensionContext context) {
        List<ManagedGuest> all = new ArrayList<>();
        Map<GuestList, Boolean> seen = new IdentityHashMap<>();
        for (Optional<ExtensionContext> c = Optional.of(context); c.isPresent(); c = c.get().getParent()) {
            GuestList list = c.get().getStore(NS).get(key(c.get()), GuestList.class);
            if (list != null && seen.put(list, Boolean.TRUE) == null) {
                all.addAll(list.guests);
            }
        }
        return all;
    }

    private static void inject(ExtensionContext context, Field f, Object instance) {
        if (f.getType() != Guest.class) {
            throw new ExtensionConfigurationException("@KvmjGuest field " + f.getDeclaringClass().getName() + "."
                    + f.getName() + " must be of type " + Guest.class.getName());
        }
        if (Modifier.isFinal(f.getModifiers())) {
            throw new ExtensionConfigurationException("@KvmjGuest field " + f.getDeclaringClass().getName() + "."
                    + f.getName() + " must not be final");
        }
        KvmjGuest ann = f.getAnnotation(KvmjGuest.class);
        ManagedGuest g = register(context, GuestBooter.boot(ann, f.getDeclaringClass(),
                f.getDeclaringClass().getSimpleName() + "." + f.getName(), f.getName()));
        try {
            f.setAccessible(true);
            f.set(instance, g.guest());
        } catch (IllegalAccessException e) {
            throw new ExtensionConfigurationException("cannot set @KvmjGuest field " + f + ": " + e.getMessage(), e);
        }
    }

    /** Puts {@code g} into the store of {@code context}, which shuts it down when the scope ends. */
    private static ManagedGuest register(ExtensionContext context, ManagedGuest g) {
        // keyed by the context's id: a plain key would find (and fill) an ancestor's list
        context.getStore(NS).getOrComputeIfAbsent(key(context), k -> new GuestList(), GuestList.class).guests.add(g);
        return g;
    }

    private static String key(ExtensionContext context) {
        return "guests:" + context.getUniqueId();
    }

    private static List<Field> annotatedFields(Class<?> type) {
        List<Field> out = new ArrayList<>();
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                if (f.isAnnotationPresent(KvmjGuest.class)) {
                    out.add(f);
                }
            }
        }
        return out;
    }

    private static String describe(Parameter p) {
        return p.getName() + " of " + p.getDeclaringExecutable();
    }

    /** The guests of one scope; closed (all guests stopped, last booted first) when the scope ends. */
    static final class GuestList implements AutoCloseable {
        final List<ManagedGuest> guests = new CopyOnWriteArrayList<>();

        @Override
        public void close() {
            RuntimeException first = null;
            for (int i = guests.size() - 1; i >= 0; i--) {
                try {
                    guests.get(i).close();
                } catch (RuntimeException e) {
                    if (first == null) {
                        first = e;
                    } else {
                        first.addSuppressed(e);
                    }
                }
            }
            if (first != null) {
                throw first;
            }
        }
    }
}
