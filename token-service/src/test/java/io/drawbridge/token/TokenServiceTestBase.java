package io.drawbridge.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.drawbridge.embedded.WithEmbeddedInfrastructure;
import io.drawbridge.events.ArchiveKind;
import io.drawbridge.events.DownloadGranted;
import io.drawbridge.events.DownloadRequested;
import io.drawbridge.events.Event;
import io.drawbridge.events.FileStored;
import io.drawbridge.events.ReleasePublished;
import io.drawbridge.platform.kafka.EventPublisher;
import io.drawbridge.token.issue.domain.TokenSecret;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.context.annotation.Import;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * token-service against real Kafka and PostgreSQL: one Spring context for every integration test class (same
 * configuration, so it is cached), the gateway's and file-service's sides played through real Kafka topics.
 */
@WithEmbeddedInfrastructure
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "drawbridge.security.admin-token=" + TokenServiceTestBase.ADMIN_TOKEN,
            "drawbridge.security.service-token=" + TokenServiceTestBase.SERVICE_TOKEN,
            "drawbridge.token.public-url=https://downloads.example.test",
            "drawbridge.token.grant-sweep-interval=300ms",
            "drawbridge.outbox.poll-interval=100ms",
            "drawbridge.token.orders.sweep-interval=300ms",
            "drawbridge.token.orders.claim-window.shop-claims=1h",
            "drawbridge.token.mail.from=downloads@seller.example",
            "drawbridge.token.mail.seller-name=Example Seller",
            "drawbridge.token.mail.support-address=help@seller.example",
            "drawbridge.token.mail.attempts=6",
            "drawbridge.token.mail.initial-backoff=300ms",
            "drawbridge.token.mail.max-backoff=2s"
        })
@AutoConfigureWebTestClient
@Import(TokenServiceTestConfiguration.class)
abstract class TokenServiceTestBase {

    static final String ADMIN_TOKEN = "it-admin-token-0123456789";
    static final String SERVICE_TOKEN = "it-service-token-0123456789";
    static final Duration KAFKA = Duration.ofSeconds(30);
    static final ParameterizedTypeReference<Map<String, Object>> JSON = new ParameterizedTypeReference<>() {};

    @Autowired
    WebTestClient web;

    @Autowired
    EventPublisher publisher;

    @Autowired
    EventCollector collected;

    @Autowired
    DatabaseClient db;

    @Autowired
    MutableClock clock;

    @DynamicPropertySource
    static void smtp(DynamicPropertyRegistry registry) {
        registry.add("spring.mail.host", () -> TestSmtp.HOST);
        registry.add("spring.mail.port", () -> TestSmtp.PORT);
    }

    @AfterEach
    void resetClock() {
        clock.reset();
        TestSmtp.start();
    }

    WebTestClient admin() {
        return web.mutate()
                .defaultHeader(HttpHeaders.AUTHORIZATION, "Bearer " + ADMIN_TOKEN)
                .build();
    }

    WebTestClient service() {
        return web.mutate()
                .defaultHeader(HttpHeaders.AUTHORIZATION, "Bearer " + SERVICE_TOKEN)
                .build();
    }

    static String unique(String prefix) {
        return prefix + "-"
                + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
    }

    /** Issues a link over the admin API; the response body. */
    Map<String, Object> issue(Map<String, Object> body) {
        return admin().post()
                .uri("/api/v1/tokens")
                .bodyValue(body)
                .exchange()
                .expectStatus()
                .isCreated()
                .expectBody(JSON)
                .returnResult()
                .getResponseBody();
    }

    Map<String, Object> tokenView(Object tokenId) {
        return admin().get()
                .uri("/api/v1/tokens/{id}", tokenId)
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody(JSON)
                .returnResult()
                .getResponseBody();
    }

    /** Plays file-service: a stored file, present in the read model once this returns. */
    UUID storeFile(String name, long size) {
        UUID fileId = UUID.randomUUID();
        publisher
                .publish(new FileStored(
                        fileId,
                        "files/" + fileId,
                        name,
                        size,
                        "a".repeat(64),
                        "00000000",
                        "application/octet-stream",
                        "clean",
                        Instant.now()))
                .block(KAFKA);
        await().atMost(KAFKA).until(() -> count("SELECT count(*) FROM catalog_file WHERE file_id = :id", fileId) == 1);
        return fileId;
    }

    /** Plays file-service: a release that is the product's current one once this returns. */
    UUID publishRelease(String sku, String version, Map<String, List<UUID>> files) {
        UUID releaseId = UUID.randomUUID();
        publisher
                .publish(new ReleasePublished(sku, "Product " + sku, releaseId, version, "notes", files, Instant.now()))
                .block(KAFKA);
        await().atMost(KAFKA)
                .until(() ->
                        count("SELECT count(*) FROM catalog_product WHERE current_release_id = :id", releaseId) == 1);
        return releaseId;
    }

    /** A product whose current release has one file for every platform; its file id. */
    UUID productWithOneFile(String sku, long size) {
        UUID fileId = storeFile(sku + ".bin", size);
        publishRelease(sku, "1.0.0", Map.of("any", List.of(fileId)));
        return fileId;
    }

    /** A request as the gateway sends it, at the service's (test) clock's now, answered within a minute. */
    DownloadRequested request(String token, String clientIp, String userAgent, String platform, String email) {
        Instant now = clock.instant();
        return new DownloadRequested(
                UUID.randomUUID(),
                TokenSecret.hashOf(token),
                platform,
                email,
                clientIp,
                userAgent,
                "it-gateway",
                now,
                now.plusSeconds(60));
    }

    /** Plays the gateway: publishes the request and waits for token-service's reply on the reply topic. */
    Event redeem(DownloadRequested request) {
        publisher.publish(request).block(KAFKA);
        return awaitReply(request.requestId());
    }

    Event redeem(String token, String client) {
        return redeem(request(token, "203.0.113.7", client, null, null));
    }

    Event awaitReply(UUID requestId) {
        await().atMost(KAFKA).until(() -> !collected.repliesTo(requestId).isEmpty());
        return collected.repliesTo(requestId).get(0);
    }

    DownloadGranted granted(Event reply) {
        assertThat(reply).isInstanceOf(DownloadGranted.class);
        return (DownloadGranted) reply;
    }

    /** The gateway's lease on {@code [start, end)} of a file (or, with an archive kind, the ZIP) of a grant. */
    WebTestClient.ResponseSpec tryLease(
            DownloadGranted grant,
            UUID target,
            ArchiveKind archive,
            long size,
            long start,
            long end,
            long responseEnd) {
        Map<String, Object> body = new java.util.HashMap<>();
        body.put("target", target);
        body.put("archive", archive == null ? null : archive.wire());
        body.put("targetSize", size);
        body.put("start", start);
        body.put("end", end);
        body.put("responseEnd", responseEnd);
        return service()
                .post()
                .uri("/internal/v1/grants/{id}/leases", grant.grantId())
                .bodyValue(body)
                .exchange();
    }

    /** A lease that must be granted; its id. */
    UUID lease(DownloadGranted grant, UUID target, ArchiveKind archive, long size, long start, long end) {
        Map<String, Object> lease = tryLease(grant, target, archive, size, start, end, end)
                .expectStatus()
                .isCreated()
                .expectBody(new ParameterizedTypeReference<Map<String, Object>>() {})
                .returnResult()
                .getResponseBody();
        return UUID.fromString((String) lease.get("leaseId"));
    }

    void endLease(UUID leaseId, long sent, boolean complete) {
        service()
                .post()
                .uri("/internal/v1/leases/{id}/end", leaseId)
                .bodyValue(Map.of("bytesSent", sent, "complete", complete))
                .exchange()
                .expectStatus()
                .isNoContent();
    }

    /** One response of a file that delivered {@code [start, start + bytes)}, as the gateway leases and ends it. */
    void completed(DownloadGranted grant, UUID fileId, long start, long bytes, long total) {
        endLease(lease(grant, fileId, null, total, start, start + bytes), bytes, true);
    }

    /** One response of a file from {@code start} to its end that broke off after {@code bytes}. */
    void failed(DownloadGranted grant, UUID fileId, long start, long bytes, long total) {
        endLease(lease(grant, fileId, null, total, start, total), bytes, false);
    }

    /** consumed, reserved of a token, straight from its row. */
    int[] uses(UUID tokenId) {
        return db.sql("SELECT consumed, reserved FROM token WHERE id = :id")
                .bind("id", tokenId)
                .map(row -> new int[] {row.get("consumed", Integer.class), row.get("reserved", Integer.class)})
                .one()
                .block(KAFKA);
    }

    String grantStatus(UUID grantId) {
        return db.sql("SELECT status FROM download_grant WHERE id = :id")
                .bind("id", grantId)
                .map(row -> row.get("status", String.class))
                .one()
                .block(KAFKA);
    }

    long count(String sql, Object id) {
        return db.sql(sql)
                .bind("id", id)
                .map(row -> row.get(0, Long.class))
                .one()
                .block(KAFKA);
    }

    static UUID id(Map<String, Object> body, String field) {
        return UUID.fromString((String) body.get(field));
    }

    static HttpStatus status(int code) {
        return HttpStatus.valueOf(code);
    }
}
