package io.drawbridge.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.drawbridge.embedded.WithEmbeddedInfrastructure;
import io.drawbridge.events.GrantedItem;
import io.drawbridge.gateway.grant.domain.GrantSigner;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * One gateway on a random port against the real embedded Kafka and S3 server, with token-service played by
 * {@link FakeTokenService}. All gateway ITs share this configuration, hence one Spring context per JVM.
 * Every test uses its own client address (the loopback proxy's X-Forwarded-For is trusted here), so rate limits do not leak
 * between tests.
 */
@WithEmbeddedInfrastructure
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "DRAWBRIDGE_GRANT_SECRET=gateway-test-grant-secret-0123456789abcdef",
            "DRAWBRIDGE_SERVICE_TOKEN=" + FakeTokenService.SERVICE_TOKEN,
            "DRAWBRIDGE_PUBLIC_URL=https://downloads.example.com",
            "drawbridge.gateway.trusted-proxies=127.0.0.1,::1",
            // As on Kubernetes, where Boot would believe every forwarded header unless told otherwise.
            "spring.main.cloud-platform=kubernetes",
            "drawbridge.gateway.redeem-timeout=3s",
            // Generous for a loaded CI machine; production keeps 2s.
            "drawbridge.gateway.token-service.timeout=10s",
            "drawbridge.gateway.token-service.lease-window=1MB",
            "drawbridge.gateway.rate-limit.pages.capacity=8",
            "drawbridge.gateway.rate-limit.pages.refill-period=1m",
            "drawbridge.gateway.rate-limit.redemptions.capacity=8",
            "drawbridge.gateway.rate-limit.redemptions.refill-period=1m",
            // No file-service in these tests (never a developer's running one on the default port).
            "drawbridge.gateway.shares.file-service-url=http://127.0.0.1:9",
            "drawbridge.gateway.rate-limit.share-uploads.capacity=3",
            "drawbridge.gateway.rate-limit.share-uploads.refill-period=1h",
            "drawbridge.gateway.rate-limit.share-upload-mebibytes.capacity=4",
            "drawbridge.gateway.rate-limit.share-upload-mebibytes.refill-period=1h",
            "drawbridge.gateway.rate-limit.share-reads.capacity=3",
            "drawbridge.gateway.rate-limit.share-reads.refill-period=1h",
            "drawbridge.gateway.seller.name=Acme Tools",
            "drawbridge.gateway.seller.colour=#aa3300"
        })
@AutoConfigureWebTestClient
@Import(FakeTokenServiceConfiguration.class)
abstract class GatewayIntegrationSupport {

    static {
        BlockingCalls.install();
    }

    private static final SecureRandom RANDOM = new SecureRandom();
    private static volatile boolean warmedUp;

    @LocalServerPort
    int port;

    @Autowired
    WebTestClient http;

    @Autowired
    FakeTokenService tokenService;

    @Autowired
    GrantSigner signer;

    @Autowired
    KafkaListenerEndpointRegistry listeners;

    /** This test's client address. */
    String clientIp;

    @DynamicPropertySource
    static void tokenServiceUrl(DynamicPropertyRegistry registry) {
        registry.add("DRAWBRIDGE_TOKEN_SERVICE_URL", FakeTokenService::url);
    }

    @BeforeAll
    static void objects() throws Exception {
        TestObjects.upload();
    }

    @BeforeEach
    void listenersHavePartitions() {
        clientIp = "10." + ThreadLocalRandom.current().nextInt(256) + "."
                + ThreadLocalRandom.current().nextInt(256) + "."
                + ThreadLocalRandom.current().nextInt(1, 255);
        http = http.mutate()
                .defaultHeader("X-Forwarded-For", clientIp)
                .responseTimeout(Duration.ofSeconds(30))
                .build();
        await().atMost(Duration.ofSeconds(30)).until(() -> listeners.getListenerContainers().stream()
                .allMatch(c -> c.getAssignedPartitions() != null
                        && !c.getAssignedPartitions().isEmpty()));
        roundTripWorks();
    }

    /**
     * Once per JVM: waits until a redemption makes the whole Kafka round trip (a fresh producer, consumer group
     * and broker can take longer than one bounded wait on a loaded machine).
     */
    private void roundTripWorks() {
        if (warmedUp) {
            return;
        }
        AtomicInteger attempt = new AtomicInteger();
        await().atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> http.post()
                                .uri("/api/v1/downloads")
                                .header("X-Forwarded-For", "198.51.100." + (attempt.incrementAndGet() % 250 + 1))
                                .contentType(MediaType.APPLICATION_JSON)
                                .bodyValue(Map.of("download_token", newToken()))
                                .exchange()
                                .returnResult(String.class)
                                .getStatus()
                                .value()
                        == 401);
        warmedUp = true;
    }

    @AfterEach
    void nothingBlockedAnEventLoop() {
        List<String> calls = BlockingCalls.drain();
        assertThat(calls).as("blocking calls on non-blocking threads").isEmpty();
    }

    static String newToken() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return "dl_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** A grant token-service knows as {@code status}, and its signed path segment. */
    Grant grant(String status, List<GrantedItem> items) {
        return grant(status, items, Instant.now().plus(Duration.ofHours(1)), 0, 0);
    }

    Grant grant(String status, List<GrantedItem> items, Instant expiresAt, long bytesDelivered, long byteBudget) {
        UUID grantId = UUID.randomUUID();
        UUID tokenId = UUID.randomUUID();
        FakeTokenService.grantView(grantId, tokenId, status, expiresAt, items, bytesDelivered, byteBudget);
        return new Grant(grantId, tokenId, signer.sign(grantId, expiresAt, clientIp));
    }

    /** The headers every public response carries, whatever its status. */
    static void assertSecurityHeaders(HttpHeaders headers) {
        assertThat(headers.getFirst(HttpHeaders.CACHE_CONTROL)).isEqualTo("no-store");
        assertThat(headers.getFirst("Referrer-Policy")).isEqualTo("no-referrer");
        assertThat(headers.getFirst("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(headers.getFirst("X-Robots-Tag")).contains("noindex");
        // The public URL is https: browsers must never try the links over plain http again.
        assertThat(headers.getFirst("Strict-Transport-Security")).isEqualTo("max-age=31536000; includeSubDomains");
        assertThat(headers.getFirst("Content-Security-Policy"))
                .contains("default-src 'none'", "frame-ancestors 'none'", "form-action 'self'")
                .doesNotContain("unsafe-inline");
    }

    record Grant(UUID grantId, UUID tokenId, String signed) {
        String path() {
            return "/dl/" + signed;
        }
    }
}
