package io.drawbridge.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.drawbridge.events.CustomerErased;
import io.drawbridge.events.CustomerErasureRequested;
import io.drawbridge.events.DownloadCompleted;
import io.drawbridge.events.DownloadFailed;
import io.drawbridge.events.DownloadRequested;
import io.drawbridge.events.GrantOutcome;
import io.drawbridge.events.LinkViewed;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

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
        events.publish(p.settled(grant, GrantOutcome.COMPLETED, Purchase.FILE_SIZE, p.plus(3)), p.plus(3));
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

    @Test
    void oneErasureReachesEveryOwnerAndItsReportShowsEachAnswer() {
        AdminApi api = new AdminApi(client);
        String email = "Erase-All-" + UUID.randomUUID().toString().substring(0, 8) + "@Example.com";

        EntityExchangeResult<JsonNode> result = api.client()
                .delete()
                .uri("/api/v1/customers/" + email)
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody(JsonNode.class)
                .returnResult();
        JsonNode erased = result.getResponseBody();
        UUID erasureId = UUID.fromString(erased.get("erasure_id").asString());
        String label = erased.get("email_label").asString();
        assertThat(result.getResponseHeaders().getLocation()).hasToString("/api/v1/erasures/" + erasureId);

        // The request went out through the outbox and came back into the trail, with this service's own answer; the
        // trail keeps the label but not the request's unkeyed hash of the address.
        JsonNode pending = await().atMost(Duration.ofSeconds(30))
                .until(
                        () -> report(api, erasureId),
                        report -> report != null
                                && report.has("requested_at")
                                && !report.get("requested_at").isNull()
                                && report.path("answers").size() == 1);
        assertThat(pending.get("complete").asBoolean()).isFalse();
        assertThat(pending.get("waiting_for"))
                .extracting(JsonNode::asString)
                .containsExactly("token-service", "order-sync-service");
        JsonNode own = pending.get("answers").get(0);
        assertThat(own.get("service").asString()).isEqualTo("audit-service");
        assertThat(own.get("erased").has("audit_events")).isTrue();
        String stored = database.sql(
                        "select payload::text as p from audit_event where event_type = 'CustomerErasureRequested'"
                                + " and event_key = :key")
                .bind("key", erasureId.toString())
                .map(row -> row.get("p", String.class))
                .one()
                .block(Duration.ofSeconds(10));
        assertThat(stored)
                .contains(label)
                .doesNotContain("emailHash")
                .doesNotContain(CustomerErasureRequested.emailHash(email));

        events.publish(new CustomerErased(erasureId, "token-service", Map.of("links", 2L), Instant.now()));
        events.publish(new CustomerErased(erasureId, "order-sync-service", Map.of("customers", 1L), Instant.now()));

        JsonNode complete = await().atMost(Duration.ofSeconds(30))
                .until(() -> report(api, erasureId), report -> report.path("complete")
                        .asBoolean());
        assertThat(complete.get("waiting_for")).isEmpty();
        assertThat(complete.get("answers"))
                .extracting(answer -> answer.get("service").asString())
                .containsExactlyInAnyOrder("audit-service", "token-service", "order-sync-service");

        api.client()
                .get()
                .uri("/api/v1/erasures/" + UUID.randomUUID())
                .exchange()
                .expectStatus()
                .isNotFound();
    }

    private static JsonNode report(AdminApi api, UUID erasureId) {
        return api.client()
                .get()
                .uri("/api/v1/erasures/" + erasureId)
                .exchange()
                .returnResult(JsonNode.class)
                .getResponseBody()
                .blockFirst(Duration.ofSeconds(10));
    }

    @Test
    void erasingACustomerRemovesTheirClientIpsAndUserAgentsEverywhereAndKeepsTheStats() {
        AdminApi api = new AdminApi(client);
        Instant day = Instant.parse("2041-01-01T00:00:00Z")
                .plus(ThreadLocalRandom.current().nextInt(3000), ChronoUnit.DAYS);
        String unique = UUID.randomUUID().toString().substring(0, 8);
        // No address is a substring of another, so each search finds only what it means.
        Client office = new Client("198.51.100.23", "Erasure-Office/" + unique);
        Client phone = new Client("2001:db8:" + unique.substring(0, 4) + "::7", "Erasure-Phone/" + unique);
        Client home = new Client("192.0.2.45", "Erasure-Other/" + unique);
        Purchase p = Purchase.at(day.plusSeconds(60));
        Purchase other = Purchase.at(day.plusSeconds(120));
        UUID completedGrant = UUID.randomUUID();
        UUID failedGrant = UUID.randomUUID();
        UUID denied = UUID.randomUUID();
        UUID otherGrant = UUID.randomUUID();
        List<UUID> published = new ArrayList<>();
        published.add(events.publish(p.paid(), p.at()));
        published.add(events.publish(p.issued(), p.at()));
        published.add(events.publish(
                new LinkViewed(p.tokenId(), "GET", office.ip(), office.userAgent(), p.plus(1)), p.plus(1)));
        published.addAll(download(p, completedGrant, office, p.plus(2), true));
        published.addAll(download(p, failedGrant, phone, p.plus(10), false));
        UUID deniedRequest = UUID.randomUUID();
        published.add(events.publish(requested(p, deniedRequest, phone, p.plus(20)), p.plus(20)));
        published.add(events.publish(p.denied(deniedRequest, "usage_limit_exceeded"), p.plus(20)));
        published.add(events.publish(other.paid(), other.at()));
        published.add(events.publish(other.issued(), other.at()));
        published.addAll(download(other, otherGrant, home, other.plus(2), true));
        String email = p.email().toLowerCase();
        await().atMost(Duration.ofSeconds(30)).until(() -> stored(published) == published.size());
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(api.logs("email=" + email))
                .extracting(row -> row.get("outcome").asString() + " " + text(row.get("client_ip")))
                .containsExactlyInAnyOrder("completed " + office.ip(), "failed " + phone.ip(), "denied " + phone.ip()));
        for (Client c : List.of(office, phone, home)) {
            assertThat(occurrences(c.ip())).as("%s before erasure", c.ip()).isNotEmpty();
            assertThat(occurrences(c.userAgent()))
                    .as("%s before erasure", c.userAgent())
                    .isNotEmpty();
        }
        Map<String, Long> otherBefore = occurrences(home.ip());
        String period = "from=" + day.toString().substring(0, 10) + "&to="
                + day.toString().substring(0, 10);
        JsonNode statsBefore = withoutToday(api.get("/api/v1/stats?" + period));
        assertThat(statsBefore.get("total_downloads").asLong()).isEqualTo(2);

        JsonNode erased = erase(api, p.email());

        String label = erased.get("email_label").asString();
        JsonNode removed = erased.get("client_details");
        // The view, both requests and the denied one, the two responses.
        assertThat(removed.get("audit_events").asLong()).isEqualTo(6);
        assertThat(removed.get("download_logs").asLong()).isEqualTo(3);
        assertThat(removed.get("requests").asLong()).isEqualTo(3);
        assertThat(removed.get("deliveries").asLong()).isEqualTo(2);
        for (String personal : List.of(office.ip(), office.userAgent(), phone.ip(), phone.userAgent())) {
            assertThat(occurrences(personal)).as("where %s is left", personal).isEmpty();
        }
        assertThat(api.logs("email=" + label))
                .extracting(row -> row.get("outcome").asString() + " "
                        + row.get("client_ip").isNull() + " "
                        + row.get("user_agent").isNull())
                .containsExactlyInAnyOrder("completed true true", "failed true true", "denied true true");
        // The other customer keeps theirs, everywhere they were.
        assertThat(occurrences(home.ip())).isEqualTo(otherBefore);
        assertThat(api.logs("email=" + other.email().toLowerCase()))
                .singleElement()
                .satisfies(row -> {
                    assertThat(row.get("client_ip").asString()).isEqualTo(home.ip());
                    assertThat(row.get("user_agent").asString()).isEqualTo(home.userAgent());
                });
        assertThat(withoutToday(api.get("/api/v1/stats?" + period))).isEqualTo(statsBefore);

        // Events about the customer that arrive later (a response before its request) lose theirs on arrival.
        Client late = new Client("2001:db8:" + unique.substring(4) + "::9", "Erasure-Late/" + unique);
        UUID lateGrant = UUID.randomUUID();
        UUID lateRequest = UUID.randomUUID();
        List<UUID> later = List.of(
                events.publish(completed(p, lateGrant, late, p.plus(40)), p.plus(41)),
                events.publish(requested(p, lateRequest, late, p.plus(39)), p.plus(39)),
                events.publish(p.granted(lateRequest, lateGrant, "linux"), p.plus(39)),
                events.publish(
                        p.settled(lateGrant, GrantOutcome.COMPLETED, Purchase.FILE_SIZE, p.plus(41)), p.plus(41)),
                events.publish(
                        new LinkViewed(p.tokenId(), "HEAD", late.ip(), late.userAgent(), p.plus(50)), p.plus(50)));
        await().atMost(Duration.ofSeconds(30)).until(() -> stored(later) == later.size());
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(api.logs("email=" + label + "&outcome=completed"))
                        .hasSize(2));
        assertThat(occurrences(late.ip())).isEmpty();
        assertThat(occurrences(late.userAgent())).isEmpty();
        assertThat(api.logs("email=" + label))
                .allSatisfy(row -> assertThat(row.get("client_ip").isNull()).isTrue());
        assertThat(occurrences(home.ip())).isEqualTo(otherBefore);

        // Erasing again finds nothing left to remove.
        JsonNode again = erase(api, email);
        assertThat(again.get("email_label").asString()).isEqualTo(label);
        assertThat(again.get("client_details").properties())
                .allSatisfy(count -> assertThat(count.getValue().asLong()).isZero());
    }

    /** Where a request or a response came from. */
    private record Client(String ip, String userAgent) {}

    /**
     * A request, its grant, one response (all of the file, or an aborted one) from {@code from}, and token-service's
     * outcome of the grant (completed, or released).
     */
    private static List<UUID> download(Purchase p, UUID grant, Client from, Instant at, boolean completes) {
        UUID request = UUID.randomUUID();
        List<UUID> ids = new ArrayList<>();
        ids.add(events.publish(requested(p, request, from, at), at));
        ids.add(events.publish(p.granted(request, grant, "linux"), at));
        ids.add(
                completes
                        ? events.publish(completed(p, grant, from, at.plusSeconds(1)), at.plusSeconds(2))
                        : events.publish(
                                new DownloadFailed(
                                        grant,
                                        p.tokenId(),
                                        p.fileId(),
                                        0,
                                        1000,
                                        Purchase.FILE_SIZE,
                                        "linux",
                                        from.ip(),
                                        from.userAgent(),
                                        at.plusSeconds(1),
                                        at.plusSeconds(2),
                                        "client_aborted"),
                                at.plusSeconds(2)));
        ids.add(events.publish(
                p.settled(
                        grant,
                        completes ? GrantOutcome.COMPLETED : GrantOutcome.RELEASED,
                        completes ? Purchase.FILE_SIZE : 1000,
                        at.plusSeconds(2)),
                at.plusSeconds(2)));
        return ids;
    }

    private static DownloadRequested requested(Purchase p, UUID request, Client from, Instant at) {
        return new DownloadRequested(
                request, p.tokenHash(), "linux", null, from.ip(), from.userAgent(), "gateway-1", at, at.plusSeconds(3));
    }

    private static DownloadCompleted completed(Purchase p, UUID grant, Client from, Instant start) {
        return new DownloadCompleted(
                grant,
                p.tokenId(),
                p.fileId(),
                0,
                Purchase.FILE_SIZE,
                Purchase.FILE_SIZE,
                "linux",
                from.ip(),
                from.userAgent(),
                start,
                start.plusSeconds(1));
    }

    private static JsonNode erase(AdminApi api, String email) {
        return api.client()
                .delete()
                .uri("/api/v1/customers/" + email)
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody(JsonNode.class)
                .returnResult()
                .getResponseBody();
    }

    /** The stats without {@code downloads_today}, which counts whatever other tests complete meanwhile. */
    private static JsonNode withoutToday(JsonNode stats) {
        ObjectNode copy = (ObjectNode) stats.deepCopy();
        copy.remove("downloads_today");
        return copy;
    }

    private static String text(JsonNode node) {
        return node == null || node.isNull() ? null : node.asString();
    }

    /** How many of {@code ids} the trail holds. */
    private long stored(List<UUID> ids) {
        return database.sql("select count(*) as n from audit_event where event_id = any(:ids)")
                .bind("ids", ids.toArray(UUID[]::new))
                .map(row -> row.get("n", Long.class))
                .one()
                .block(Duration.ofSeconds(10));
    }

    /**
     * Every column of every table of audit-service's schema whose value, as text (JSON included), contains
     * {@code text}, with the number of rows: the whole schema, not the tables the erasure is known to touch.
     */
    private Map<String, Long> occurrences(String text) {
        List<String[]> columns = database.sql(
                        """
                        select c.table_name, c.column_name from information_schema.columns c
                        join information_schema.tables t
                            on t.table_schema = c.table_schema and t.table_name = c.table_name
                        where c.table_schema = current_schema() and t.table_type = 'BASE TABLE'
                        order by 1, 2
                        """)
                .map(row -> new String[] {row.get("table_name", String.class), row.get("column_name", String.class)})
                .all()
                .collectList()
                .block(Duration.ofSeconds(10));
        assertThat(columns)
                .extracting(column -> column[0] + "." + column[1])
                .contains("download_log.client_ip", "audit_event.payload");
        Map<String, Long> found = new TreeMap<>();
        for (String[] column : columns) {
            long n = database.sql("select count(*) as n from \"" + column[0] + "\" where strpos(\"" + column[1]
                            + "\"::text, :text) > 0")
                    .bind("text", text)
                    .map(row -> row.get("n", Long.class))
                    .one()
                    .block(Duration.ofSeconds(10));
            if (n > 0) {
                found.put(column[0] + "." + column[1], n);
            }
        }
        return found;
    }

    /**
     * Trail rows whose payload or email column contain {@code text}, leaving out the erasures themselves (a request
     * names the label on purpose, so that every owner uses the same one).
     */
    private long mentions(String text) {
        return database.sql("select count(*) as n from audit_event where topic <> 'privacy.v1'"
                        + " and (email = :text or strpos(lower(payload::text), :text) > 0)")
                .bind("text", text)
                .map(row -> row.get("n", Long.class))
                .one()
                .block(Duration.ofSeconds(10));
    }
}
