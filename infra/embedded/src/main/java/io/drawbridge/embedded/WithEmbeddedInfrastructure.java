package io.drawbridge.embedded;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs a test class against real Kafka, PostgreSQL and S3 servers: one set per test JVM, started on first use and
 * stopped at JVM exit, with every {@code DRAWBRIDGE_*} setting a service reads published as a system property
 * before any Spring context of the class starts. Put it before {@code @SpringBootTest} for readability; the order
 * does not matter, class-level callbacks run before Spring's test context loads.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(EmbeddedInfrastructureExtension.class)
public @interface WithEmbeddedInfrastructure {}
