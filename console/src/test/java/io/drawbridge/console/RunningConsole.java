package io.drawbridge.console;

import io.drawbridge.embedded.WithEmbeddedInfrastructure;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * One console for every test class of this module (one Spring context, so one webhook sender and one consumer of
 * {@code tokens.v1}, not one per class competing for the same rows), against the shared real PostgreSQL and Kafka.
 * Webhooks may go to plain http on loopback (the tests' receivers) and retry after 300 ms instead of hours. OIDC
 * sign-in is configured against {@link OidcProvider} (a real provider on loopback), beside the password form.
 */
@WithEmbeddedInfrastructure
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "drawbridge.security.admin-token=" + RunningConsole.ADMIN_TOKEN,
            "drawbridge.security.service-token=" + RunningConsole.SERVICE_TOKEN,
            "drawbridge.console.max-failures=5",
            // No admin APIs in these tests (never a developer's dev stack on the default ports).
            "drawbridge.console.token-service-url=http://127.0.0.1:9",
            "drawbridge.console.file-service-url=http://127.0.0.1:9",
            "drawbridge.console.audit-service-url=http://127.0.0.1:9",
            "drawbridge.console.webhooks.secret-key=" + RunningConsole.WEBHOOK_KEY,
            "drawbridge.console.webhooks.allow-http=true",
            "drawbridge.console.webhooks.allow-private-addresses=true",
            "drawbridge.console.webhooks.retry-schedule=300ms,300ms,300ms",
            "drawbridge.console.webhooks.poll-interval=100ms",
            "drawbridge.console.webhooks.timeout=5s",
            "drawbridge.console.webhooks.disable-after=0s"
        })
@AutoConfigureWebTestClient(timeout = "60s")
abstract class RunningConsole {

    static final String ADMIN_TOKEN = "console-it-admin-token";
    static final String SERVICE_TOKEN = "console-it-service-token";
    static final String PASSWORD = "correct horse battery staple";
    /** 32 bytes, base64: the test's sealing key for webhook secrets. */
    static final String WEBHOOK_KEY = "q83vEjRWeJCrze8SNFZ4kKvN7xI0VniQq83vEjRWeJA=";

    /** One provider for the test JVM: the console reads its discovery document when it starts. */
    static final OidcProvider OIDC = new OidcProvider();

    @DynamicPropertySource
    static void users(DynamicPropertyRegistry registry) {
        String client = "spring.security.oauth2.client.registration.test-idp.";
        registry.add(client + "client-id", () -> OidcProvider.CLIENT_ID);
        registry.add(client + "client-secret", () -> OidcProvider.CLIENT_SECRET);
        registry.add(client + "client-name", () -> "Test IdP");
        registry.add(client + "scope", () -> "openid,email");
        registry.add(client + "provider", () -> "test-idp");
        registry.add("spring.security.oauth2.client.provider.test-idp.issuer-uri", OIDC::issuer);
        registry.add("drawbridge.console.oidc.allowed-domains", () -> "example.com");
        // The whole list from one property source: Spring Boot binds a list from a single source.
        String hash = "{bcrypt}" + new BCryptPasswordEncoder().encode(PASSWORD);
        registry.add("drawbridge.console.users[0].username", () -> "seller");
        registry.add("drawbridge.console.users[1].username", () -> "victim");
        registry.add("drawbridge.console.users[0].password-hash", () -> hash);
        registry.add("drawbridge.console.users[1].password-hash", () -> hash);
    }
}
