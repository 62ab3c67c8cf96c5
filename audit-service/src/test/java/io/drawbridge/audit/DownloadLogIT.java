package io.drawbridge.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.drawbridge.events.DenialReasons;
import io.drawbridge.events.DownloadCompleted;
import io.drawbridge.events.DownloadGranted;
import io.drawbridge.events.GrantedItem;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;

@AuditIntegrationTest
class DownloadLogIT {

    private static final TestEvents events = new TestEvents();

    @Autowired
    WebTestClient client;

    @Autowired
    DatabaseClient database;

    @Autowired
    MeterRegistry registry;

    AdminApi api;

    @BeforeEach
    void setUp() {
        api = new AdminApi(client);
    }

    @AfterAll
    static void closeProducer() {
        events.close();
    }

    @Test
    void completedDownloadIsLoggedWithTheTokensOrderAndCustomer() {
        Purchase p = Purchase.now();
        UUID request = UUID.randomUUID();
        UUID grant = UUID.randomUUID();
        double completedBefore = downloads("completed");

        events.publish(p.issued(), p.at());
        events.publish(p.requested(request, "windows", "Mozilla/5.0 (Windows NT 10.0)", p.plus(10)), p.plus(10));
        events.publish(p.granted(request, grant, "windows"), p.plus(10));
        events.publish(p.completed(grant, 0, "windows", p.plus(11), p.plus(41)), p.plus(41));

        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> {
            JsonNode row = onlyRow("token_id=" + p.tokenId(), "completed");
            assertThat(row.get("id").asString()).isEqualTo(grant.toString());
            assertThat(row.get("request_id").asString()).isEqualTo(request.toString());
            assertThat(row.get("grant_id").asString()).isEqualTo(grant.toString());
            assertThat(row.get("order_id").asString()).isEqualTo(p.orderId());
            assertThat(row.get("customer_email").asString()).isEqualTo(p.email().toLowerCase());
            assertThat(row.get("platform").asString()).isEqualTo("windows");
            assertThat(row.get("file_name").asString()).isEqualTo(Purchase.FILE_NAME);
            assertThat(row.get("file_size").asLong()).isEqualTo(Purchase.FILE_SIZE);
            assertThat(row.get("client_ip").asString()).isEqualTo("203.0.113.7");
            assertThat(row.get("user_agent").asString()).isEqualTo("Mozilla/5.0 (Windows NT 10.0)");
            assertThat(row.get("started_at").asString()).isEqualTo(p.plus(10).toString());
            assertThat(row.get("completed_at").asString()).isEqualTo(p.plus(41).toString());
            assertThat(row.get("bytes_delivered").asLong()).isEqualTo(Purchase.FILE_SIZE);
            assertThat(row.get("duration_ms").asLong()).isEqualTo(31_000);
            assertThat(row.get("responses").asInt()).isEqualTo(1);
            assertThat(row.get("reason").isNull()).isTrue();
        });
        assertThat(downloads("completed")).isEqualTo(completedBefore + 1);
    }

    @Test
    void eventsArrivingInReverseOrderBuildTheSameRow() {
        Purchase p = Purchase.now();
        UUID request = UUID.randomUUID();
        UUID grant = UUID.randomUUID();

        events.publish(p.completed(grant, 0, "linux", p.plus(11), p.plus(20)), p.plus(20));
        JsonNode early = awaitRow("token_id=" + p.tokenId(), "completed");
        assertThat(early.get("order_id").isNull()).isTrue();

        events.publish(p.granted(request, grant, "linux"), p.plus(10));
        events.publish(p.requested(request, "linux", "Wget/1.21", p.plus(10)), p.plus(10));
        events.publish(p.issued(), p.at());

        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> {
            JsonNode rows = api.logs("token_id=" + p.tokenId());
            assertThat(rows).hasSize(1);
            JsonNode row = rows.get(0);
            assertThat(row.get("order_id").asString()).isEqualTo(p.orderId());
            assertThat(row.get("customer_email").asString()).isEqualTo(p.email().toLowerCase());
            assertThat(row.get("request_id").asString()).isEqualTo(request.toString());
            assertThat(row.get("user_agent").asString()).isEqualTo("Wget/1.21");
            assertThat(row.get("started_at").asString()).isEqualTo(p.plus(10).toString());
            assertThat(row.get("duration_ms").asLong()).isEqualTo(10_000);
        });
    }

    @Test
    void failedDownloadKeepsTheBytesSentAndTheReason() {
        Purchase p = Purchase.now();
        UUID request = UUID.randomUUID();
        UUID grant = UUID.randomUUID();

        events.publish(p.issued(), p.at());
        events.publish(p.requested(request, "macos", "Safari", p.plus(5)), p.plus(5));
        events.publish(p.granted(request, grant, "macos"), p.plus(5));
        events.publish(p.failed(grant, 4_000_000, "macos", p.plus(6), p.plus(16)), p.plus(16));

        JsonNode row = awaitRow("token_id=" + p.tokenId(), "failed");
        assertThat(row.get("bytes_delivered").asLong()).isEqualTo(4_000_000);
        assertThat(row.get("reason").asString()).isEqualTo("client_aborted");
        assertThat(row.get("completed_at").asString()).isEqualTo(p.plus(16).toString());
    }

    @Test
    void resumedDownloadIsCompletedAndCountsEveryByteDelivered() {
        Purchase p = Purchase.now();
        UUID request = UUID.randomUUID();
        UUID grant = UUID.randomUUID();

        events.publish(p.requested(request, "linux", "aria2/1.36", p.plus(1)), p.plus(1));
        events.publish(p.granted(request, grant, "linux"), p.plus(1));
        events.publish(p.failed(grant, 1_000_000, "linux", p.plus(2), p.plus(3)), p.plus(3));
        events.publish(p.completed(grant, 1_000_000, "linux", p.plus(4), p.plus(9)), p.plus(9));

        JsonNode row = awaitRow("token_id=" + p.tokenId(), "completed");
        assertThat(row.get("bytes_delivered").asLong()).isEqualTo(Purchase.FILE_SIZE);
        assertThat(row.get("responses").asInt()).isEqualTo(2);
        assertThat(row.get("reason").isNull()).isTrue();
    }

    @Test
    void segmentedDownloadIsCompletedOnlyOnceItsSegmentsCoverTheFile() {
        Purchase p = Purchase.now();
        UUID request = UUID.randomUUID();
        UUID grant = UUID.randomUUID();
        long half = Purchase.FILE_SIZE / 2;

        events.publish(p.requested(request, "linux", "aria2/1.36", p.plus(1)), p.plus(1));
        events.publish(p.granted(request, grant, "linux"), p.plus(1));
        events.publish(p.completedRange(grant, half, Purchase.FILE_SIZE - half, p.plus(2), p.plus(5)), p.plus(5));
        JsonNode tailOnly = awaitRow("token_id=" + p.tokenId(), "pending");
        assertThat(tailOnly.get("responses").asInt()).isEqualTo(1);

        events.publish(p.completedRange(grant, 0, half, p.plus(2), p.plus(7)), p.plus(7));
        JsonNode row = awaitRow("token_id=" + p.tokenId(), "completed");
        assertThat(row.get("bytes_delivered").asLong()).isEqualTo(Purchase.FILE_SIZE);
        assertThat(row.get("completed_at").asString()).isEqualTo(p.plus(7).toString());
    }

    @Test
    void aRangedZipIsCompletedOnlyOnceItsRangesCoverTheArchive() {
        Purchase p = Purchase.now();
        UUID request = UUID.randomUUID();
        UUID grant = UUID.randomUUID();
        long archive = 2 * Purchase.FILE_SIZE + 300;

        events.publish(p.requested(request, "linux", "aria2/1.36", p.plus(1)), p.plus(1));
        events.publish(archiveGranted(p, request, grant, "1a2b3c4d"), p.plus(1));
        // A download manager's first segment finished: bytes 0.. of the archive, not the archive.
        events.publish(archiveResponse(p, grant, 0, archive / 2, archive, p.plus(5)), p.plus(5));
        JsonNode firstSegment = awaitRow("token_id=" + p.tokenId(), "pending");
        assertThat(firstSegment.get("responses").asInt()).isEqualTo(1);

        events.publish(archiveResponse(p, grant, archive / 2, archive - archive / 2, archive, p.plus(8)), p.plus(8));
        JsonNode row = awaitRow("token_id=" + p.tokenId(), "completed");
        assertThat(row.get("bytes_delivered").asLong()).isEqualTo(archive);
        assertThat(row.get("completed_at").asString()).isEqualTo(p.plus(8).toString());
    }

    @Test
    void aStreamedZipIsCompletedByTheResponseThatFinished() {
        Purchase p = Purchase.now();
        UUID request = UUID.randomUUID();
        UUID grant = UUID.randomUUID();

        events.publish(p.requested(request, "linux", "curl/8.5", p.plus(1)), p.plus(1));
        events.publish(archiveGranted(p, request, grant, null), p.plus(1));
        // Deflated: fewer archive bytes than the items' total, which is what the gateway reports as the size.
        events.publish(archiveResponse(p, grant, 0, Purchase.FILE_SIZE, 2 * Purchase.FILE_SIZE, p.plus(5)), p.plus(5));

        awaitRow("token_id=" + p.tokenId(), "completed");
    }

    private static DownloadGranted archiveGranted(Purchase p, UUID request, UUID grant, String crc32) {
        List<GrantedItem> items = List.of(
                new GrantedItem(
                        UUID.randomUUID(),
                        "files/a",
                        "a.bin",
                        Purchase.FILE_SIZE,
                        "ab".repeat(32),
                        null,
                        "linux",
                        crc32),
                new GrantedItem(
                        UUID.randomUUID(),
                        "files/b",
                        "b.bin",
                        Purchase.FILE_SIZE,
                        "cd".repeat(32),
                        null,
                        "linux",
                        crc32));
        return new DownloadGranted(
                request, p.tokenId(), grant, items, p.at().plus(Duration.ofMinutes(15)), 2, "bundle.zip", false);
    }

    private static DownloadCompleted archiveResponse(
            Purchase p, UUID grant, long start, long bytes, long total, Instant end) {
        return new DownloadCompleted(
                grant,
                p.tokenId(),
                null,
                start,
                bytes,
                total,
                "linux",
                "203.0.113.7",
                "aria2/1.36",
                end.minusSeconds(2),
                end);
    }

    @Test
    void deniedRequestIsLoggedWithItsReason() {
        Purchase p = Purchase.now();
        UUID request = UUID.randomUUID();

        events.publish(p.issued(), p.at());
        events.publish(p.requested(request, null, "Mozilla/5.0", p.plus(3)), p.plus(3));
        events.publish(p.denied(request, DenialReasons.TOKEN_EXPIRED), p.plus(3));

        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> {
            JsonNode row = onlyRow("token_id=" + p.tokenId(), "denied");
            assertThat(row.get("id").asString()).isEqualTo(request.toString());
            assertThat(row.get("reason").asString()).isEqualTo("token_expired");
            assertThat(row.get("customer_email").asString()).isEqualTo(p.email().toLowerCase());
            assertThat(row.get("bytes_delivered").asLong()).isZero();
            assertThat(row.get("grant_id").isNull()).isTrue();
        });
    }

    @Test
    void requestWithoutReplyIsPendingUntilTheReplyComes() {
        Purchase p = Purchase.now();
        UUID request = UUID.randomUUID();
        UUID grant = UUID.randomUUID();

        events.publish(p.requested(request, "windows", "Edge", p.plus(1)), p.plus(1));
        JsonNode pending = awaitRow("email=&order_id=&token_id=&outcome=pending&from=" + p.at(), null, request);
        assertThat(pending.get("outcome").asString()).isEqualTo("pending");

        events.publish(p.granted(request, grant, "windows"), p.plus(1));
        JsonNode granted = awaitRow("token_id=" + p.tokenId(), "pending");
        assertThat(granted.get("id").asString()).isEqualTo(grant.toString());
        assertThat(api.logs("token_id=" + p.tokenId())).hasSize(1);
    }

    @Test
    void redeliveredEventIsStoredOnce() {
        Purchase p = Purchase.now();
        UUID request = UUID.randomUUID();
        UUID grant = UUID.randomUUID();
        UUID eventId = UUID.randomUUID();
        double duplicatesBefore = duplicates();

        events.publish(p.requested(request, "linux", "curl/8.5", p.plus(1)), p.plus(1));
        events.publish(p.granted(request, grant, "linux"), p.plus(1));
        events.publish(eventId, p.completed(grant, 0, "linux", p.plus(2), p.plus(4)), p.plus(4));
        events.publish(eventId, p.completed(grant, 0, "linux", p.plus(2), p.plus(4)), p.plus(4));

        await().atMost(Duration.ofSeconds(30)).until(() -> duplicates() >= duplicatesBefore + 1);
        JsonNode row = awaitRow("token_id=" + p.tokenId(), "completed");
        assertThat(row.get("bytes_delivered").asLong()).isEqualTo(Purchase.FILE_SIZE);
        assertThat(row.get("responses").asInt()).isEqualTo(1);
        Long stored = database.sql("select count(*) as n from audit_event where event_id = :id")
                .bind("id", eventId)
                .map(r -> r.get("n", Long.class))
                .one()
                .block(Duration.ofSeconds(10));
        assertThat(stored).isEqualTo(1);
    }

    @Test
    void adminRoutesNeedTheAdminToken() {
        client.get()
                .uri("/api/v1/download-logs")
                .exchange()
                .expectStatus()
                .isUnauthorized()
                .expectBody()
                .jsonPath("$.error")
                .isEqualTo("unauthorized");
    }

    @Test
    void malformedQueryParametersAreRejected() {
        api.client()
                .get()
                .uri("/api/v1/download-logs?token_id=not-a-uuid")
                .exchange()
                .expectStatus()
                .isBadRequest()
                .expectBody()
                .jsonPath("$.error")
                .isEqualTo("validation_failed");
    }

    /** The one row matching {@code query}, which must have {@code outcome}. */
    private JsonNode onlyRow(String query, String outcome) {
        JsonNode rows = api.logs(query);
        assertThat(rows).hasSize(1);
        assertThat(rows.get(0).get("outcome").asString()).isEqualTo(outcome);
        return rows.get(0);
    }

    private JsonNode awaitRow(String query, String outcome) {
        return awaitRow(query, outcome, null);
    }

    private JsonNode awaitRow(String query, String outcome, UUID id) {
        JsonNode[] found = new JsonNode[1];
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonNode rows = api.logs(query);
            JsonNode match = null;
            for (JsonNode row : rows) {
                if (id == null || id.toString().equals(row.get("id").asString())) {
                    match = row;
                }
            }
            assertThat(match).as("row for %s", query).isNotNull();
            if (outcome != null) {
                assertThat(match.get("outcome").asString()).isEqualTo(outcome);
            }
            found[0] = match;
        });
        return found[0];
    }

    private double downloads(String outcome) {
        return registry.get("drawbridge.audit.downloads")
                .tag("outcome", outcome)
                .counter()
                .count();
    }

    private double duplicates() {
        return registry.get("drawbridge.audit.events")
                .tag("type", "DownloadCompleted")
                .tag("outcome", "duplicate")
                .counter()
                .count();
    }
}
