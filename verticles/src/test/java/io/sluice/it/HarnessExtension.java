package io.sluice.it;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Owns the IT {@link Harness} (embedded broker, local Lambda, Vert.x): a parameter of type {@code Harness} of a
 * {@code @BeforeAll} or test method gets the test class's one harness, started on first use and closed after the
 * class's last test. {@code @ExtendWith(HarnessExtension.class)} on the IT, then
 * {@code @BeforeAll static void harness(Harness harness) { h = harness; }} or a test method taking {@code Harness h}.
 */
final class HarnessExtension implements ParameterResolver {
    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(HarnessExtension.class);

    /** Closes the harness when the class's context ends. */
    private record Owned(Harness harness) implements ExtensionContext.Store.CloseableResource {
        @Override
        public void close() throws Exception {
            harness.close();
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == Harness.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        ExtensionContext classContext = context;
        while (classContext.getTestMethod().isPresent()
                && classContext.getParent().isPresent()) {
            classContext = classContext.getParent().get();
        }
        return classContext
                .getStore(NAMESPACE)
                .getOrComputeIfAbsent(
                        Owned.class,
                        k -> {
                            try {
                                return new Owned(new Harness());
                            } catch (Exception e) {
                                throw new ParameterResolutionException(
                                        "the IT harness (broker, local Lambda) did not start: " + e, e);
                            }
                        },
                        Owned.class)
                .harness();
    }
}
