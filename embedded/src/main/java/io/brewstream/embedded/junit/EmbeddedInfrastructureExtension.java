package io.brewstream.embedded.junit;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives tests an {@link EmbeddedInfrastructure} (constructor, lifecycle or test method parameter). It is
 * shared by every test class of the JVM and closed when JUnit closes its root context.
 */
public final class EmbeddedInfrastructureExtension implements ParameterResolver {
    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(EmbeddedInfrastructureExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == EmbeddedInfrastructure.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context)
            throws ParameterResolutionException {
        return context.getRoot().getStore(NAMESPACE)
                .getOrComputeIfAbsent("infrastructure", key -> new Resource(), Resource.class)
                .infrastructure;
    }

    @SuppressWarnings("deprecation") // CloseableResource for JUnit before 5.13, AutoCloseable after
    private static final class Resource implements ExtensionContext.Store.CloseableResource, AutoCloseable {
        final EmbeddedInfrastructure infrastructure = new EmbeddedInfrastructure();

        @Override
        public void close() {
            infrastructure.close();
        }
    }
}
