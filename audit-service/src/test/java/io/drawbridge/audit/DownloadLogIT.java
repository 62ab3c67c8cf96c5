package io.drawbridge.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.drawbridge.events.ArchiveKind;
import io.drawbridge.events.DenialReasons;
import io.drawbridge.events.DownloadCompleted;
import io.drawbridge.events.DownloadGranted;
import io.drawbridge.events.GrantOutcome;
import io.drawbridge.events.GrantSettled;
import io.drawbridge.events.GrantedItem;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

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
    void aDownloadIsInProgressUntilTokenServiceSettlesItThenCompletedWithTheTokensOrderAndCustomer() {
        Purchase p = Purchase.now();
        UUID request = UUID.randomUUID();
        UUID grant = UUID.randomUUID();
        double completedBefore = downloads("completed");

        events.publish(p.issued(), p.at());
        events.publish(p.requested(request, "windows", "Mozilla/5.0 (Windows NT 10.0)", p.plus(10)), p.plus(10));
        events.publish(p.granted(request, grant, "windows"), p.plus(10));
        events.publish(p.completed(grant, 0, "windows", p.plus(11), p.plus(41)), p.plus(41));

        // The response is shown as it is; whether the download is complete is token-service's call.
        JsonNode served = awaitRow(
                "token_id=" + p.tokenId(),
                "in_progress",
                r -> r.get("responses").asInt() == 1);
        assertThat(served.get("bytes_delivered").asLong()).isEqualTo(Purchase.FILE_SIZE);
        assertThat(served.get("completed_at").asString()).isEqualTo(p.plus(41).toString());
        assertThat(downloads("completed")).isEqualTo(completedBefore);

        events.publish(p.settled(grant, GrantOutcome.COMPLETED, Purchase.FILE_SIZE, p.plus(42)), p.plus(42));

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

        events.publish(p.settled(grant, GrantOutcome.COMPLETED, Purchase.FILE_SIZE, p.plus(21)), p.plus(21));
        JsonNode early = awaitRow("token_id=" + p.tokenId(), "completed");
        assertThat(early.get("order_id").isNull()).isTrue();
        assertThat(early.get("responses").asInt()).isZero();
        assertThat(early.get("bytes_delivered").asLong()).isZero();

        events.publish(p.completed(grant, 0, "linux", p.plus(11), p.plus(20)), p.plus(20));
        events.publish(p.granted(request, grant, "linux"), p.plus(10));
        events.publish(p.requested(request, "linux", "Wget/1.21", p.plus(10)), p.plus(10));
        events.publish(p.issued(), p.at());

        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> {
            JsonNode row = onlyRow("token_id=" + p.tokenId(), "completed");
            assertThat(row.get("order_id").asString()).isEqualTo(p.orderId());
            assertThat(row.get("customer_email").asString()).isEqualTo(p.email().toLowerCase());
            assertThat(row.get("request_id").asString()).isEqualTo(request.toString());
            assertThat(row.get("user_agent").asString()).isEqualTo("Wget/1.21");
            assertThat(row.get("started_at").asString()).isEqualTo(p.plus(10).toString());
            assertThat(row.get("completed_at").asString()).isEqualTo(p.plus(20).toString());
            assertThat(row.get("duration_ms").asLong()).isEqualTo(10_000);
            assertThat(row.get("bytes_delivered").asLong()).isEqualTo(Purchase.FILE_SIZE);
            assertThat(row.get("responses").asInt()).isEqualTo(1);
        });
    }

    @Test
    void aGrantConvergesToTheSameRowWhateverTheArrivalOrderAndRedeliveries() {
        Instant at = Instant.now();
        Purchase inOrder = Purchase.at(at);
        Purchase shuffled = Purchase.at(at);
        UUID request = UUID.randomUUID();
        UUID grant = UUID.randomUUID();
        UUID shuffledRequest = UUID.randomUUID();
        UUID shuffledGrant = UUID.randomUUID();
        double completedBefore = downloads("completed");
        double duplicatesBefore = duplicates("GrantSettled");

        events.publish(inOrder.issued(), inOrder.at());
        events.publish(inOrder.requested(request, "linux", "aria2/1.36", inOrder.plus(1)), inOrder.plus(1));
        events.publish(inOrder.granted(request, grant, "linux"), inOrder.plus(1));
        events.publish(inOrder.failed(grant, 1_000_000, "linux", inOrder.plus(2), inOrder.plus(3)), inOrder.plus(3));
        events.publish(inOrder.completed(grant, 1_000_000, "linux", inOrder.plus(4), inOrder.plus(9)), inOrder.plus(9));
        events.publish(
                inOrder.settled(grant, GrantOutcome.COMPLETED, Purchase.FILE_SIZE, inOrder.plus(9)), inOrder.plus(9));

        // The outcome first and twice (the outbox relay may send it again), then the rest backwards.
        UUID settledId = UUID.randomUUID();
        UUID completedId = UUID.randomUUID();
        var settled = shuffled.settled(shuffledGrant, GrantOutcome.COMPLETED, Purchase.FILE_SIZE, shuffled.plus(9));
        var completed = shuffled.completed(shuffledGrant, 1_000_000, "linux", shuffled.plus(4), shuffled.plus(9));
        events.publish(settledId, settled, shuffled.plus(9));
        events.publish(completedId, completed, shuffled.plus(9));
        events.publish(settledId, settled, shuffled.plus(9));
        events.publish(
                shuffled.failed(shuffledGrant, 1_000_000, "linux", shuffled.plus(2), shuffled.plus(3)),
                shuffled.plus(3));
        events.publish(shuffled.granted(shuffledRequest, shuffledGrant, "linux"), shuffled.plus(1));
        events.publish(completedId, completed, shuffled.plus(9));
        events.publish(shuffled.requested(shuffledRequest, "linux", "aria2/1.36", shuffled.plus(1)), shuffled.plus(1));
        events.publish(shuffled.issued(), shuffled.at());

        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> {
            JsonNode expected = onlyRow("token_id=" + inOrder.tokenId(), "completed");
            JsonNode actual = onlyRow("token_id=" + shuffled.tokenId(), "completed");
            assertThat(actual.get("order_id").asString()).isEqualTo(shuffled.orderId());
            assertThat(actual.get("responses").asInt()).isEqualTo(2);
            assertThat(withoutIds(actual)).isEqualTo(withoutIds(expected));
        });
        assertThat(downloads("completed")).isEqualTo(completedBefore + 2);
        assertThat(duplicates("GrantSettled")).isEqualTo(duplicatesBefore + 1);
        assertThat(settlementRows(shuffledGrant)).isEqualTo(1);
    }

    @Test
    void aFailedResponseIsShownAsItIsAndTheDownloadFailsWhenTokenServiceReleasesTheGrant() {
        Purchase p = Purchase.now();
        UUID request = UUID.randomUUID();
        UUID grant = UUID.randomUUID();

        events.publish(p.issued(), p.at());
        events.publish(p.requested(request, "macos", "Safari", p.plus(5)), p.plus(5));
        events.publish(p.granted(request, grant, "macos"), p.plus(5));
        events.publish(p.failed(grant, 4_000_000, "macos", p.plus(6), p.plus(16)), p.plus(16));

        JsonNode unsettled = awaitRow(
                "token_id=" + p.tokenId(),
                "in_progress",
                r -> r.get("responses").asInt() == 1);
        assertThat(unsettled.get("reason").asString()).isEqualTo("client_aborted");

        events.publish(p.settled(grant, GrantOutcome.RELEASED, 4_000_000, p.plus(20)), p.plus(20));
        JsonNode row = awaitRow("token_id=" + p.tokenId(), "failed");
        assertThat(row.get("bytes_delivered").asLong()).isEqualTo(4_000_000);
        assertThat(row.get("reason").asString()).isEqualTo("client_aborted");
        assertThat(row.get("completed_at").asString()).isEqualTo(p.plus(16).toString());
    }

    @Test
    void aGrantReleasedWithoutAnyResponseIsAFailedDownloadOfNoBytes() {
        Purchase p = Purchase.now();
        UUID request = UUID.randomUUID();
        UUID grant = UUID.randomUUID();

        events.publish(p.requested(request, "linux", "curl/8.5", p.plus(1)), p.plus(1));
        events.publish(p.granted(request, grant, "linux"), p.plus(1));
        events.publish(p.settled(grant, GrantOutcome.RELEASED, 0, p.plus(900)), p.plus(900));

        JsonNode row = awaitRow("token_id=" + p.tokenId(), "failed");
        assertThat(row.get("bytes_delivered").asLong()).isZero();
        assertThat(row.get("responses").asInt()).isZero();
        assertThat(row.get("completed_at").isNull()).isTrue();
        assertThat(row.get("reason").isNull()).isTrue();
    }

    @Test
    void aGrantRevokedMidDownloadIsRevoked() {
        Purchase p = Purchase.now();
        UUID request = UUID.randomUUID();
        UUID grant = UUID.randomUUID();
        double revokedBefore = downloads("revoked");

        events.publish(p.requested(request, "linux", "curl/8.5", p.plus(1)), p.plus(1));
        events.publish(p.granted(request, grant, "linux"), p.plus(1));
        events.publish(p.failed(grant, 2_000, "linux", p.plus(2), p.plus(3)), p.plus(3));
        events.publish(p.revoked(), p.plus(3));
        events.publish(p.settled(grant, GrantOutcome.REVOKED, 2_000, p.plus(3)), p.plus(3));

        JsonNode row = awaitRow(
                "token_id=" + p.tokenId() + "&outcome=revoked",
                "revoked",
                r -> r.get("responses").asInt() == 1);
        assertThat(row.get("bytes_delivered").asLong()).isEqualTo(2_000);
        assertThat(downloads("revoked")).isEqualTo(revokedBefore + 1);
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
        events.publish(p.settled(grant, GrantOutcome.COMPLETED, Purchase.FILE_SIZE, p.plus(9)), p.plus(9));

        // The outcome (tokens.v1) may be recorded before the responses (downloads.v1).
        JsonNode row = awaitRow(
                "token_id=" + p.tokenId(), "completed", r -> r.get("responses").asInt() == 2);
        assertThat(row.get("bytes_delivered").asLong()).isEqualTo(Purchase.FILE_SIZE);
        assertThat(row.get("reason").isNull()).isTrue();
    }

    @Test
    void segmentsThatCoverTheFileAreNotACompletedDownloadUntilTokenServiceSaysSo() {
        Purchase p = Purchase.now();
        UUID request = UUID.randomUUID();
        UUID grant = UUID.randomUUID();
        long half = Purchase.FILE_SIZE / 2;

        events.publish(p.requested(request, "linux", "aria2/1.36", p.plus(1)), p.plus(1));
        events.publish(p.granted(request, grant, "linux"), p.plus(1));
        events.publish(p.completedRange(grant, half, Purchase.FILE_SIZE - half, p.plus(2), p.plus(5)), p.plus(5));
        events.publish(p.completedRange(grant, 0, half, p.plus(2), p.plus(7)), p.plus(7));
        JsonNode covered = awaitRow(
                "token_id=" + p.tokenId(),
                "in_progress",
                r -> r.get("responses").asInt() == 2);
        assertThat(covered.get("bytes_delivered").asLong()).isEqualTo(Purchase.FILE_SIZE);

        events.publish(p.settled(grant, GrantOutcome.COMPLETED, Purchase.FILE_SIZE, p.plus(8)), p.plus(8));
        JsonNode row = awaitRow("token_id=" + p.tokenId(), "completed");
        assertThat(row.get("completed_at").asString()).isEqualTo(p.plus(7).toString());
    }

    @Test
    void aZipIsCompletedWhenTokenServiceSettlesItWhateverItsItemsChecksums() {
        Purchase p = Purchase.now();
        UUID request = UUID.randomUUID();
        UUID grant = UUID.randomUUID();
        long archive = 2 * Purchase.FILE_SIZE + 300;

        events.publish(p.requested(request, "linux", "aria2/1.36", p.plus(1)), p.plus(1));
        // Every item's CRC-32 is known, yet how the ZIP was served is the gateway's to say, not this service's guess.
        events.publish(archiveGranted(p, request, grant, "1a2b3c4d"), p.plus(1));
        events.publish(
                archiveResponse(p, grant, 0, Purchase.FILE_SIZE, 2 * Purchase.FILE_SIZE, ArchiveKind.STREAMED, 5),
                p.plus(5));
        JsonNode streamed = awaitRow(
                "token_id=" + p.tokenId(),
                "in_progress",
                r -> r.get("responses").asInt() == 1);
        assertThat(streamed.get("file_name").asString()).isEqualTo("bundle.zip");

        events.publish(
                new GrantSettled(
                        grant,
                        p.tokenId(),
                        GrantOutcome.COMPLETED,
                        Purchase.FILE_SIZE,
                        archive,
                        ArchiveKind.STREAMED,
                        p.plus(6)),
                p.plus(6));
        JsonNode row = awaitRow("token_id=" + p.tokenId(), "completed");
        assertThat(row.get("file_size").asLong()).isEqualTo(archive);
        assertThat(row.get("bytes_delivered").asLong()).isEqualTo(Purchase.FILE_SIZE);
    }

    @Test
    void aLaidOutZipWhoseFirstRangeFinishedIsCompletedOnlyIfTokenServiceSaysSo() {
        Purchase p = Purchase.now();
        UUID request = UUID.randomUUID();
        UUID grant = UUID.randomUUID();
        long archive = 2 * Purchase.FILE_SIZE + 300;

        events.publish(p.requested(request, "linux", "aria2/1.36", p.plus(1)), p.plus(1));
        // No CRC-32s in the grant: the old rule would have called this a streamed ZIP, done with any response.
        events.publish(archiveGranted(p, request, grant, null), p.plus(1));
        events.publish(archiveResponse(p, grant, 0, archive / 2, archive, ArchiveKind.LAID_OUT, 5), p.plus(5));
        awaitRow(
                "token_id=" + p.tokenId(),
                "in_progress",
                r -> r.get("responses").asInt() == 1);

        events.publish(
                new GrantSettled(
                        grant,
                        p.tokenId(),
                        GrantOutcome.RELEASED,
                        archive / 2,
                        archive,
                        ArchiveKind.LAID_OUT,
                        p.plus(900)),
                p.plus(900));
        JsonNode row = awaitRow("token_id=" + p.tokenId(), "failed");
        assertThat(row.get("bytes_delivered").asLong()).isEqualTo(archive / 2);
        assertThat(row.get("reason").isNull()).isTrue();
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
            Purchase p, UUID grant, long start, long bytes, long total, ArchiveKind kind, long endSecond) {
        Instant end = p.plus(endSecond);
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
                end,
                kind);
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
    void requestWithoutReplyIsPendingUntilTheReplyComesThenInProgress() {
        Purchase p = Purchase.now();
        UUID request = UUID.randomUUID();
        UUID grant = UUID.randomUUID();

        events.publish(p.requested(request, "windows", "Edge", p.plus(1)), p.plus(1));
        JsonNode pending = awaitRow("email=&order_id=&token_id=&outcome=pending&from=" + p.at(), null, request);
        assertThat(pending.get("outcome").asString()).isEqualTo("pending");

        events.publish(p.granted(request, grant, "windows"), p.plus(1));
        JsonNode granted = awaitRow("token_id=" + p.tokenId(), "in_progress");
        assertThat(granted.get("id").asString()).isEqualTo(grant.toString());
        assertThat(api.logs("token_id=" + p.tokenId())).hasSize(1);
    }

    @Test
    void redeliveredEventIsStoredOnce() {
        Purchase p = Purchase.now();
        UUID request = UUID.randomUUID();
        UUID grant = UUID.randomUUID();
        UUID eventId = UUID.randomUUID();
        double duplicatesBefore = duplicates("DownloadCompleted");

        events.publish(p.requested(request, "linux", "curl/8.5", p.plus(1)), p.plus(1));
        events.publish(p.granted(request, grant, "linux"), p.plus(1));
        events.publish(eventId, p.completed(grant, 0, "linux", p.plus(2), p.plus(4)), p.plus(4));
        events.publish(eventId, p.completed(grant, 0, "linux", p.plus(2), p.plus(4)), p.plus(4));

        await().atMost(Duration.ofSeconds(30)).until(() -> duplicates("DownloadCompleted") >= duplicatesBefore + 1);
        JsonNode row = awaitRow("token_id=" + p.tokenId(), "in_progress");
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
        return awaitRow(query, outcome, null, row -> true);
    }

    /** The row for {@code query} once it has {@code outcome} and satisfies {@code ready} (facts still arriving). */
    private JsonNode awaitRow(String query, String outcome, Predicate<JsonNode> ready) {
        return awaitRow(query, outcome, null, ready);
    }

    private JsonNode awaitRow(String query, String outcome, UUID id) {
        return awaitRow(query, outcome, id, row -> true);
    }

    private JsonNode awaitRow(String query, String outcome, UUID id, Predicate<JsonNode> ready) {
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
            assertThat(ready.test(match))
                    .as("row for %s ready: %s", query, match)
                    .isTrue();
            found[0] = match;
        });
        return found[0];
    }

    /** A row without what names its grant, request, token, order and customer: what two purchases can share. */
    private static JsonNode withoutIds(JsonNode row) {
        ObjectNode copy = ((ObjectNode) row).deepCopy();
        copy.remove(List.of("id", "request_id", "grant_id", "token_id", "order_id", "customer_email"));
        return copy;
    }

    private long settlementRows(UUID grant) {
        return database.sql("select count(*) as n from grant_settlement where grant_id = :grant")
                .bind("grant", grant)
                .map(r -> r.get("n", Long.class))
                .one()
                .block(Duration.ofSeconds(10));
    }

    private double downloads(String outcome) {
        return registry.get("drawbridge.audit.downloads")
                .tag("outcome", outcome)
                .counter()
                .count();
    }

    private double duplicates(String type) {
        return registry.get("drawbridge.audit.events")
                .tag("type", type)
                .tag("outcome", "duplicate")
                .counter()
                .count();
    }
}
