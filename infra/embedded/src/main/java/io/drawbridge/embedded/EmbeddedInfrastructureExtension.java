package io.drawbridge.embedded;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * The JUnit 5 side of {@link WithEmbeddedInfrastructure}. Starting the servers takes seconds, so every test class in
 * a JVM shares one set ({@link #shared()}), on random ports and temporary directories so that forked JVMs and
 * parallel builds never collide; {@link EmbeddedInfrastructure}'s shutdown hook stops it when the JVM exits.
 *
 * <p>Test methods and constructors may also declare an {@link InfrastructureEndpoints} parameter.
 */
public final class EmbeddedInfrastructureExtension implements BeforeAllCallback, ParameterResolver {

    private static EmbeddedInfrastructure shared;

    /** The infrastructure of this JVM, started on the first call. */
    public static synchronized EmbeddedInfrastructure shared() {
        if (shared == null) {
            ServerLogLevels.applyToSpringBoot();
            shared = EmbeddedInfrastructure.start(InfrastructureSettings.ephemeral());
        }
        return shared;
    }

    /**
     * Publishes the endpoints as system properties: Spring Boot resolves {@code ${DRAWBRIDGE_DB_PORT}} from them as
     * it would from the environment of a deployed service.
     */
    @Override
    public void beforeAll(ExtensionContext context) {
        shared().endpoints().environment().forEach(System::setProperty);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == InfrastructureEndpoints.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return shared().endpoints();
    }
}
