package io.drawbridge.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.drawbridge.console.webhook.WebhookSignature;
import io.drawbridge.events.Event;
import io.drawbridge.events.GrantOutcome;
import io.drawbridge.events.GrantSettled;
import io.drawbridge.events.TokenExhausted;
import io.drawbridge.platform.kafka.EventMetadata;
import io.drawbridge.platform.kafka.EventPublisher;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Outgoing webhooks end to end inside the console: token-service's events on the real Kafka, the deliveries in the
 * real PostgreSQL, and a real HTTP receiver on loopback that checks each signature as a seller's would.
 */
class WebhooksIT extends RunningConsole {

    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Autowired
    WebTestClient http;

    @Autowired
    DatabaseClient database;

    @Autowired
    EventPublisher publisher;

    @SuppressWarnings("unchecked")
    private Map<String, Object> createEndpoint(String url, List<String> events) {
        return http.post()
                .uri("/api/v1/webhook-endpoints")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + ADMIN_TOKEN)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("url", url, "events", events, "description", "test receiver"))
                .exchange()
                .expectStatus()
                .isCreated()
                .expectBody(Map.class)
                .returnResult()
                .getResponseBody();
    }

    private JsonNode deliveries(Object endpointId) {
        String body = http.get()
                .uri("/api/v1/webhook-deliveries?endpoint_id={id}", endpointId)
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + ADMIN_TOKEN)
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody(String.class)
                .returnResult()
                .getResponseBody();
        return JSON.readTree(body).get("items");
    }

    private WebTestClient.ResponseSpec redeliver(Object deliveryId) {
        return http.post()
                .uri("/api/v1/webhook-deliveries/{id}/redeliver", deliveryId)
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + ADMIN_TOKEN)
                .exchange();
    }

    private void publish(Event event) {
        publisher.publish(event).block(PATIENCE);
    }

    private static void assertSigned(Receiver.Request request, String secret) {
        long timestamp = Long.parseLong(request.timestamp());
        assertThat(WebhookSignature.verify(secret, request.id(), timestamp, request.body(), request.signature()))
                .as("the signature verifies with the endpoint's secret")
                .isTrue();
        assertThat(Math.abs(Instant.now().getEpochSecond() - timestamp))
                .as("signed at sending time (receivers refuse old timestamps)")
                .isLessThan(300);
        assertThat(request.contentType()).startsWith("application/json");
    }

    private static JsonNode body(Receiver.Request request) {
        return JSON.readTree(new String(request.body(), StandardCharsets.UTF_8));
    }

    @Test
    void aLinksFirstDownloadAndItsLastAreSentSignedAndOnceThoughKafkaRedeliversTheEvent() throws Exception {
        try (Receiver receiver = new Receiver()) {
            String path = "/ok/" + UUID.randomUUID();
            Map<String, Object> endpoint =
                    createEndpoint(receiver.url(path), List.of("link.first_downloaded", "link.used_up"));
            String secret = (String) endpoint.get("secret");
            assertThat(secret).startsWith("whsec_");

            UUID tokenId = UUID.randomUUID();
            GrantSettled first = new GrantSettled(
                    UUID.randomUUID(),
                    tokenId,
                    GrantOutcome.COMPLETED,
                    1000L,
                    1000L,
                    null,
                    Instant.now(),
                    "ord-webhook-1",
                    1);
            EventMetadata once = EventMetadata.forNew(first, null);
            publisher.publish(first, once).block(PATIENCE);
            publisher.publish(first, once).block(PATIENCE); // Kafka delivers at least once: the same event again
            publish(new GrantSettled(
                    UUID.randomUUID(),
                    tokenId,
                    GrantOutcome.RELEASED,
                    10L,
                    1000L,
                    null,
                    Instant.now(),
                    "ord-webhook-1",
                    null));
            publish(new GrantSettled(
                    UUID.randomUUID(),
                    tokenId,
                    GrantOutcome.COMPLETED,
                    1000L,
                    1000L,
                    null,
                    Instant.now(),
                    "ord-webhook-1",
                    2));
            publish(new TokenExhausted(tokenId, "ord-webhook-1", 2, Instant.now()));

            // One key, one partition: once the last event's delivery is done, every earlier one was consumed.
            await().atMost(PATIENCE).until(() -> {
                JsonNode items = deliveries(endpoint.get("id"));
                return items.size() == 2
                        && items.valueStream()
                                .allMatch(d -> d.get("status").asString().equals("delivered"));
            });
            List<Receiver.Request> got = receiver.at(path);
            assertThat(got).hasSize(2);
            got.forEach(request -> assertSigned(request, secret));
            assertThat(got.stream().map(r -> body(r).get("type").asString()))
                    .containsExactlyInAnyOrder("link.first_downloaded", "link.used_up");
            assertThat(got).allSatisfy(request -> {
                JsonNode data = body(request).get("data");
                assertThat(data.get("link_id").asString()).isEqualTo(tokenId.toString());
                assertThat(data.get("order_id").asString()).isEqualTo("ord-webhook-1");
                assertThat(body(request).toString()).doesNotContain("@");
            });
            assertThat(got.stream().map(Receiver.Request::id).distinct()).hasSize(2);

            // The secret is in that one answer only: not listed, not stored in the clear, not in the action log.
            String listed = http.get()
                    .uri("/api/v1/webhook-endpoints")
                    .header(HttpHeaders.AUTHORIZATION, "Bearer " + ADMIN_TOKEN)
                    .exchange()
                    .expectBody(String.class)
                    .returnResult()
                    .getResponseBody();
            assertThat(listed).contains((String) endpoint.get("id")).doesNotContain(secret);
            Long clear = database.sql("select count(*) as n from webhook_endpoint where position(:s in"
                            + " concat_ws(' ', url, description, secret_hint, encode(secret_sealed, 'escape'),"
                            + " encode(secret_sealed, 'base64'), encode(secret_sealed, 'hex'))) > 0")
                    .bind("s", secret.substring("whsec_".length()))
                    .map(row -> row.get("n", Long.class))
                    .one()
                    .block(PATIENCE);
            assertThat(clear).isZero();
            Long logged = database.sql(
                            "select count(*) as n from outbox where position(:s in cast(payload as text))" + " > 0")
                    .bind("s", secret.substring("whsec_".length()))
                    .map(row -> row.get("n", Long.class))
                    .one()
                    .block(PATIENCE);
            assertThat(logged).isZero();
        }
    }

    @Test
    void aReceiverThatFailsTwiceGetsTheThirdAttemptAndARedeliveryCarriesTheSameId() throws Exception {
        try (Receiver receiver = new Receiver()) {
            String path = "/flaky/" + UUID.randomUUID();
            Map<String, Object> endpoint = createEndpoint(receiver.url(path), List.of("link.used_up"));
            String secret = (String) endpoint.get("secret");
            publish(new TokenExhausted(UUID.randomUUID(), null, 3, Instant.now()));

            JsonNode delivery = await().atMost(PATIENCE)
                    .until(
                            () -> deliveries(endpoint.get("id")),
                            items -> items.size() == 1
                                    && items.get(0).get("status").asString().equals("delivered"))
                    .get(0);
            assertThat(delivery.get("attempts").asInt()).isEqualTo(3);
            assertThat(delivery.get("last_status").asInt()).isEqualTo(200);
            List<Integer> codes = database.sql(
                            "select status_code from webhook_attempt where delivery_id = :id order" + " by attempt")
                    .bind("id", UUID.fromString(delivery.get("id").asString()))
                    .map(row -> row.get("status_code", Integer.class))
                    .all()
                    .collectList()
                    .block(PATIENCE);
            assertThat(codes).containsExactly(500, 500, 200);
            List<Receiver.Request> got = receiver.at(path);
            assertThat(got).hasSize(3).allSatisfy(request -> assertSigned(request, secret));
            assertThat(got.stream().map(Receiver.Request::id).distinct())
                    .containsExactly(delivery.get("id").asString());
            assertThat(got.stream()
                            .map(r -> new String(r.body(), StandardCharsets.UTF_8))
                            .distinct())
                    .hasSize(1);

            redeliver(delivery.get("id").asString()).expectStatus().isAccepted();
            await().atMost(PATIENCE).until(() -> receiver.at(path).size() == 4);
            Receiver.Request again = receiver.at(path).get(3);
            assertSigned(again, secret);
            assertThat(again.id())
                    .as("the same webhook-id: a receiver that already handled the message can tell")
                    .isEqualTo(got.get(0).id());
            assertThat(again.body()).isEqualTo(got.get(0).body());
            await().atMost(PATIENCE)
                    .until(() -> deliveries(endpoint.get("id"))
                                    .get(0)
                                    .get("attempts")
                                    .asInt()
                            == 4);
        }
    }

    @Test
    void anEndpointThatKeepsFailingIsDisabledAndGetsNothingUntilEnabled() throws Exception {
        try (Receiver receiver = new Receiver()) {
            String down = "/down/" + UUID.randomUUID();
            String witness = "/ok/" + UUID.randomUUID();
            Map<String, Object> failing = createEndpoint(receiver.url(down), List.of("link.used_up"));
            Map<String, Object> healthy = createEndpoint(receiver.url(witness), List.of("link.used_up"));
            publish(new TokenExhausted(UUID.randomUUID(), null, 1, Instant.now()));

            JsonNode failed = await().atMost(PATIENCE)
                    .until(
                            () -> deliveries(failing.get("id")),
                            items -> items.size() == 1
                                    && items.get(0).get("status").asString().equals("failed"))
                    .get(0);
            assertThat(failed.get("attempts").asInt())
                    .as("the first attempt and three retries")
                    .isEqualTo(4);
            assertThat(failed.get("last_status").asInt()).isEqualTo(503);
            assertThat(receiver.at(down)).hasSize(4);
            JsonNode listed = endpointView(failing.get("id"));
            assertThat(absent(listed.path("disabled_at"))).isFalse();
            assertThat(listed.get("disabled_reason").asString()).startsWith("every delivery failed since");

            redeliver(failed.get("id").asString())
                    .expectStatus()
                    .isEqualTo(409)
                    .expectHeader()
                    .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                    .expectBody()
                    .jsonPath("$.error")
                    .isEqualTo("webhook_endpoint_unavailable");

            UUID later = UUID.randomUUID();
            publish(new TokenExhausted(later, null, 1, Instant.now()));
            await().atMost(PATIENCE).until(() -> receiver.at(witness).stream()
                    .anyMatch(r -> body(r).get("data").get("link_id").asString().equals(later.toString())));
            assertThat(deliveries(failing.get("id")))
                    .as("a disabled endpoint is not sent new events")
                    .hasSize(1);
            assertThat(deliveries(healthy.get("id"))).hasSize(2);

            http.post()
                    .uri("/api/v1/webhook-endpoints/{id}/enable", failing.get("id"))
                    .header(HttpHeaders.AUTHORIZATION, "Bearer " + ADMIN_TOKEN)
                    .exchange()
                    .expectStatus()
                    .isNoContent();
            assertThat(absent(endpointView(failing.get("id")).path("disabled_at")))
                    .isTrue();
            redeliver(failed.get("id").asString()).expectStatus().isAccepted();
            await().atMost(PATIENCE).until(() -> receiver.at(down).size() == 5);
        }
    }

    private static boolean absent(JsonNode node) {
        return node.isNull() || node.isMissingNode();
    }

    /** Endpoints end with their test: a later test's events are not sent to receivers that are gone. */
    @AfterEach
    void deleteEndpoints() {
        database.sql("update webhook_endpoint set deleted_at = now() where deleted_at is null")
                .fetch()
                .rowsUpdated()
                .block(PATIENCE);
    }

    private JsonNode endpointView(Object id) {
        String body = http.get()
                .uri("/api/v1/webhook-endpoints")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + ADMIN_TOKEN)
                .exchange()
                .expectBody(String.class)
                .returnResult()
                .getResponseBody();
        return JSON.readTree(body)
                .get("items")
                .valueStream()
                .filter(e -> e.get("id").asString().equals(id))
                .findFirst()
                .orElseThrow();
    }

    @Test
    void badInputIsAProblemWithAMachineCode() {
        badEndpoint(Map.of("url", "ftp://example.com/hook", "events", List.of("link.used_up")), "ftp");
        badEndpoint(Map.of("url", "http://127.0.0.1/hook", "events", List.of()), "events");
        badEndpoint(Map.of("url", "http://127.0.0.1/hook", "events", List.of("link.everything")), "events");
        badEndpoint(Map.of("url", "http://user:pw@127.0.0.1/hook", "events", List.of("link.used_up")), "user");
        problem(http.get().uri("/api/v1/webhook-deliveries?endpoint_id=nope"), 400, "validation_failed");
        problem(http.get().uri("/api/v1/webhook-deliveries?status=lost"), 400, "validation_failed");
        problem(
                http.post().uri("/api/v1/webhook-deliveries/{id}/redeliver", UUID.randomUUID()),
                404,
                "webhook_delivery_not_found");
        problem(
                http.delete().uri("/api/v1/webhook-endpoints/{id}", UUID.randomUUID()),
                404,
                "webhook_endpoint_not_found");
    }

    private void badEndpoint(Map<String, Object> body, String mentioned) {
        http.post()
                .uri("/api/v1/webhook-endpoints")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + ADMIN_TOKEN)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body)
                .exchange()
                .expectStatus()
                .isBadRequest()
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.error")
                .isEqualTo("validation_failed")
                .jsonPath("$.detail")
                .value(String.class, detail -> assertThat(detail)
                        .containsIgnoringCase(
                                mentioned.equals("ftp") ? "http" : mentioned.equals("user") ? "user name" : mentioned));
    }

    private void problem(WebTestClient.RequestHeadersSpec<?> request, int status, String error) {
        request.header(HttpHeaders.AUTHORIZATION, "Bearer " + ADMIN_TOKEN)
                .exchange()
                .expectStatus()
                .isEqualTo(status)
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.error")
                .isEqualTo(error);
    }
}
