package io.drawbridge.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.drawbridge.events.DenialReasons;
import io.drawbridge.events.GrantOutcome;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;

@AuditIntegrationTest
class StatsAndExportIT {

    private static final TestEvents events = new TestEvents();

    @Autowired
    WebTestClient client;

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
    void statsCountCompletedFailedAndDeniedDownloadsOfThePeriod() {
        // A period of its own, far from other tests' data: exact numbers.
        Instant day = Instant.parse("2031-01-01T00:00:00Z")
                .plus(ThreadLocalRandom.current().nextInt(3000), ChronoUnit.DAYS);
        Purchase alice = Purchase.at(day.plusSeconds(3600));
        Purchase bob = Purchase.at(day.plusSeconds(7200));
        download(alice, "windows", true, 0, GrantOutcome.COMPLETED);
        download(alice, "windows", true, 0, GrantOutcome.COMPLETED);
        download(bob, "linux", true, 0, GrantOutcome.COMPLETED);
        download(bob, "macos", false, 1_000, GrantOutcome.RELEASED);
        // A response that ended well, but token-service has not settled the grant: not a completed download (yet).
        download(alice, "linux", true, 0, null);
        // Revoked mid-download: neither completed nor failed.
        download(bob, "windows", false, 500, GrantOutcome.REVOKED);
        deny(bob, DenialReasons.USAGE_LIMIT_EXCEEDED);
        deny(alice, DenialReasons.EMAIL_MISMATCH);
        deny(alice, DenialReasons.EMAIL_MISMATCH);

        String period = "from=" + day.toString().substring(0, 10) + "&to="
                + day.toString().substring(0, 10);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonNode stats = api.get("/api/v1/stats?" + period);
            assertThat(stats.path("total_downloads").asLong(-1)).isEqualTo(3);
            assertThat(stats.path("failed_downloads").asLong(-1)).isEqualTo(1);
            assertThat(stats.path("unique_customers").asLong(-1)).isEqualTo(2);
            assertThat(stats.path("bytes_served").asLong(-1)).isEqualTo(4 * Purchase.FILE_SIZE + 1_500);
            assertThat(stats.path("platform_breakdown").path("windows").asLong(-1))
                    .isEqualTo(2);
            assertThat(stats.path("platform_breakdown").path("linux").asLong(-1))
                    .isEqualTo(1);
            assertThat(stats.path("platform_breakdown").has("macos")).isFalse();
            assertThat(stats.path("denied_by_reason").path("email_mismatch").asLong(-1))
                    .isEqualTo(2);
            assertThat(stats.path("denied_by_reason")
                            .path("usage_limit_exceeded")
                            .asLong(-1))
                    .isEqualTo(1);
            assertThat(stats.path("from").asString("")).isEqualTo(day.toString());
            assertThat(stats.path("to").asString(""))
                    .isEqualTo(day.plus(1, ChronoUnit.DAYS).toString());
        });
        assertThat(api.logs("token_id=" + bob.tokenId() + "&outcome=revoked")).hasSize(1);
        assertThat(api.logs("token_id=" + alice.tokenId() + "&outcome=in_progress"))
                .singleElement()
                .satisfies(row -> assertThat(row.get("platform").asString()).isEqualTo("linux"));
        assertThat(api.get("/api/v1/stats?" + period).path("failed_downloads").asLong(-1))
                .isEqualTo(1);
    }

    @Test
    void downloadsTodayCountsCompletedDownloadsStartedSinceMidnightUtc() {
        long before = api.get("/api/v1/stats").get("downloads_today").asLong();
        Purchase p = Purchase.now();
        download(p, "linux", true, 0, GrantOutcome.COMPLETED);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                        api.get("/api/v1/stats").get("downloads_today").asLong())
                .isGreaterThanOrEqualTo(before + 1));
    }

    @Test
    void csvExportStreamsEveryRowOfACustomerWithFormulasDefused() {
        Purchase p = Purchase.now();
        UUID request = UUID.randomUUID();
        UUID grant = UUID.randomUUID();
        events.publish(p.issued(), p.at());
        events.publish(p.requested(request, "windows", "=HYPERLINK(\"http://evil\",\"x\")", p.plus(1)), p.plus(1));
        events.publish(p.granted(request, grant, "windows"), p.plus(1));
        events.publish(p.completed(grant, 0, "windows", p.plus(2), p.plus(3)), p.plus(3));
        events.publish(p.settled(grant, GrantOutcome.COMPLETED, Purchase.FILE_SIZE, p.plus(3)), p.plus(3));
        UUID denied = UUID.randomUUID();
        events.publish(p.requested(denied, null, "+cmd|' /C calc'!A0", p.plus(5)), p.plus(5));
        events.publish(p.denied(denied, DenialReasons.USAGE_LIMIT_EXCEEDED), p.plus(5));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(api.logs("email=" + p.email()))
                .extracting(row -> row.get("outcome").asString() + " "
                        + !row.get("user_agent").isNull() + " "
                        + !row.get("file_name").isNull())
                .containsExactlyInAnyOrder("completed true true", "denied true false"));

        var result = api.client()
                .get()
                .uri("/api/v1/download-logs?email=" + p.email())
                .accept(MediaType.parseMediaType("text/csv"))
                .exchange()
                .expectStatus()
                .isOk()
                .expectHeader()
                .contentTypeCompatibleWith(MediaType.parseMediaType("text/csv"))
                .expectHeader()
                .value(HttpHeaders.CONTENT_DISPOSITION, value -> assertThat(value)
                        .startsWith("attachment; filename=\"download-log-"))
                .expectBody(String.class)
                .returnResult();
        List<String> lines = result.getResponseBody().lines().toList();
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).startsWith("started_at,completed_at,outcome,reason,customer_email,order_id");
        assertThat(lines.get(1))
                .contains(",completed,,")
                .contains(p.email().toLowerCase())
                .contains(Purchase.FILE_NAME)
                .contains("\"'=HYPERLINK(\"\"http://evil\"\",\"\"x\"\")\"")
                .doesNotContain(",=HYPERLINK");
        assertThat(lines.get(2)).contains(",denied,usage_limit_exceeded,").contains("\"'+cmd|' /C calc'!A0\"");
        assertThat(result.getResponseBody()).contains("\r\n");
    }

    @Test
    void jsonIsTheDefaultForClientsThatAcceptAnything() {
        api.client()
                .get()
                .uri("/api/v1/download-logs?size=1")
                .accept(MediaType.ALL)
                .exchange()
                .expectStatus()
                .isOk()
                .expectHeader()
                .contentTypeCompatibleWith(MediaType.APPLICATION_JSON)
                .expectBody()
                .jsonPath("$.page")
                .isEqualTo(0)
                .jsonPath("$.size")
                .isEqualTo(1)
                .jsonPath("$.total_elements")
                .exists();
    }

    /**
     * A request, its grant, one response (all of the file, or {@code failedBytes} of it) and, unless {@code settled}
     * is null, token-service's outcome of the grant.
     */
    private void download(
            Purchase p, String platform, boolean responseCompletes, long failedBytes, GrantOutcome settled) {
        UUID request = UUID.randomUUID();
        UUID grant = UUID.randomUUID();
        events.publish(p.issued(), p.at());
        events.publish(p.requested(request, platform, "test", p.plus(1)), p.plus(1));
        events.publish(p.granted(request, grant, platform), p.plus(1));
        long sent = responseCompletes ? Purchase.FILE_SIZE : failedBytes;
        if (responseCompletes) {
            events.publish(p.completed(grant, 0, platform, p.plus(2), p.plus(3)), p.plus(3));
        } else {
            events.publish(p.failed(grant, failedBytes, platform, p.plus(2), p.plus(3)), p.plus(3));
        }
        if (settled != null) {
            events.publish(p.settled(grant, settled, sent, p.plus(3)), p.plus(3));
        }
    }

    private void deny(Purchase p, String reason) {
        UUID request = UUID.randomUUID();
        events.publish(p.requested(request, null, "test", p.plus(1)), p.plus(1));
        events.publish(p.denied(request, reason), p.plus(1));
    }
}
