package io.drawbridge.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;

@AuditIntegrationTest
class CustomerErasureIT {

    private static final TestEvents events = new TestEvents();

    @Autowired
    WebTestClient client;

    @Autowired
    DatabaseClient database;

    @AfterAll
    static void closeProducer() {
        events.close();
    }

    @Test
    void erasingACustomerPseudonymisesTheEmailEverywhereAndKeepsTheCounts() {
        AdminApi api = new AdminApi(client);
        Instant day = Instant.parse("2041-01-01T00:00:00Z")
                .plus(ThreadLocalRandom.current().nextInt(3000), ChronoUnit.DAYS);
        Purchase p = Purchase.at(day.plusSeconds(60));
        UUID request = UUID.randomUUID();
        UUID grant = UUID.randomUUID();
        events.publish(p.paid(), p.at());
        events.publish(p.issued(), p.at());
        events.publish(p.requested(request, "linux", "curl/8.5", p.plus(1)), p.plus(1));
        events.publish(p.granted(request, grant, "linux"), p.plus(1));
        events.publish(p.completed(grant, 0, "linux", p.plus(2), p.plus(3)), p.plus(3));
        String email = p.email().toLowerCase();
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(api.logs("email=" + email + "&outcome=completed"))
                        .hasSize(1));
        await().atMost(Duration.ofSeconds(30)).until(() -> mentions(email) == 2);
        String period = "from=" + day.toString().substring(0, 10) + "&to="
                + day.toString().substring(0, 10);
        JsonNode statsBefore = api.get("/api/v1/stats?" + period);

        JsonNode erased = api.client()
                .delete()
                .uri("/api/v1/customers/" + p.email())
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody(JsonNode.class)
                .returnResult()
                .getResponseBody();

        String label = erased.get("email_label").asString();
        assertThat(label).startsWith("erased-").doesNotContain("@");
        assertThat(erased.get("audit_events").asLong()).isEqualTo(2);
        assertThat(erased.get("download_logs").asLong()).isEqualTo(1);
        assertThat(api.logs("email=" + email)).isEmpty();
        assertThat(api.logs("email=" + label)).hasSize(1);
        assertThat(mentions(email)).isZero();
        assertThat(mentions(label)).isEqualTo(2);
        JsonNode statsAfter = api.get("/api/v1/stats?" + period);
        assertThat(statsAfter.get("unique_customers")).isEqualTo(statsBefore.get("unique_customers"));
        assertThat(statsAfter.get("total_downloads")).isEqualTo(statsBefore.get("total_downloads"));

        // An event about the customer that arrives after the erasure is stored pseudonymised.
        events.publish(p.refunded(), p.plus(100));
        await().atMost(Duration.ofSeconds(30)).until(() -> mentions(label) == 3);
        assertThat(mentions(email)).isZero();

        // Erasing again changes nothing and gives the same label.
        api.client()
                .delete()
                .uri("/api/v1/customers/" + email)
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.email_label")
                .isEqualTo(label)
                .jsonPath("$.audit_events")
                .isEqualTo(0);
    }

    /** Trail rows whose payload or email column contain {@code text}. */
    private long mentions(String text) {
        return database.sql(
                        "select count(*) as n from audit_event where email = :text or strpos(lower(payload::text), :text) > 0")
                .bind("text", text)
                .map(row -> row.get("n", Long.class))
                .one()
                .block(Duration.ofSeconds(10));
    }
}
