package io.drawbridge.audit;

import io.drawbridge.embedded.WithEmbeddedInfrastructure;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;

/**
 * audit-service on a random port against the shared real Kafka and PostgreSQL of the test JVM. Every test class
 * uses the same properties, so they share one Spring context (and one consumer group).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@WithEmbeddedInfrastructure
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "drawbridge.security.admin-token=" + AuditIntegrationTest.ADMIN_TOKEN,
            "drawbridge.audit.erasure-salt=test-erasure-salt",
            "drawbridge.audit.retention.initial-delay=PT1H",
            "drawbridge.kafka.retry-backoff=50ms"
        })
@AutoConfigureWebTestClient
public @interface AuditIntegrationTest {

    String ADMIN_TOKEN = "test-admin-token";
}
