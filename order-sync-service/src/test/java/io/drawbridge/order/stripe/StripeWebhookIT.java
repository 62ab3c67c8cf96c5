package io.drawbridge.order.stripe;

import static io.drawbridge.order.support.StripeFixtures.event;
import static io.drawbridge.order.support.StripeFixtures.paidCheckoutSession;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.drawbridge.order.support.FakeStripe;
import io.drawbridge.order.support.OrderSyncServiceTestSupport;
import io.drawbridge.order.support.OrdersTopic.Published;
import io.drawbridge.order.support.StripeFixtures;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Flux;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

class StripeWebhookIT extends OrderSyncServiceTestSupport {

    @LocalServerPort
    int port;

    @Autowired
    MeterRegistry meters;

    @Autowired
    ReceiptProcessor receiptProcessor;

    @Test
    void aCorrectlySignedPaymentIsAcknowledgedAndPublishedOnceOnOrdersTopic() {
        String pi = StripeFixtures.unique("pi_");
        ObjectNode completed =
                event("checkout.session.completed", paidCheckoutSession(pi, "buyer@example.com", "demo-app"));

        deliver(completed)
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.received")
                .isEqualTo(true);

        Published paid = awaitPublished(pi, "paid");
        assertThat(paid.eventType()).isEqualTo("OrderStatusChanged");
        assertThat(paid.key()).isEqualTo(paid.text("orderId"));
        assertThat(paid.text("provider")).isEqualTo("stripe");
        assertThat(paid.text("customerEmail")).isEqualTo("buyer@example.com");
        assertThat(paid.value().has("previousStatus")).isFalse();
        assertThat(paid.value().get("lines")).hasSize(1);
        assertThat(paid.value().get("lines").get(0).get("sku").asString()).isEqualTo("demo-app");
        assertThat(paid.value().get("lines").get(0).get("quantity").asInt()).isEqualTo(1);
        assertThat(paid.text("occurredAt"))
                .isEqualTo(
                        Instant.ofEpochSecond(completed.get("created").asLong()).toString());

        awaitOutboxDrained();
        assertOnlyStatuses(published(pi), "paid");
        assertThat(receipts(completed.get("id").asString())).isEqualTo(1);
    }

    @Test
    void aSignatureMadeWithTheSecondSecretIsAcceptedDuringARotation() {
        String pi = StripeFixtures.unique("pi_");
        byte[] payload = StripeFixtures.bytes(
                event("checkout.session.completed", paidCheckoutSession(pi, "rotation@example.com", "demo-app")));

        deliver(payload, StripeFixtures.signature(payload, SECONDARY_SECRET, Instant.now()))
                .expectStatus()
                .isOk();

        awaitPublished(pi, "paid");
    }

    @Test
    void aBadSignatureIsRefusedAndStoresNothing() {
        assertRefused(
                payload -> StripeFixtures.signature(payload, "whsec_not_ours", Instant.now()), "invalid_signature");
    }

    @Test
    void aMissingSignatureIsRefusedAndStoresNothing() {
        assertRefused(payload -> null, "missing_signature");
    }

    @Test
    void aSignatureTenMinutesOldIsRefusedAndStoresNothing() {
        assertRefused(
                payload -> StripeFixtures.signature(
                        payload, PRIMARY_SECRET, Instant.now().minus(Duration.ofMinutes(10))),
                "stale_timestamp");
    }

    @Test
    void aSignatureOverADifferentBodyIsRefused() {
        String pi = StripeFixtures.unique("pi_");
        ObjectNode event = event("checkout.session.completed", paidCheckoutSession(pi, "buyer@example.com", "x"));
        String signature = StripeFixtures.signature(StripeFixtures.bytes(event), PRIMARY_SECRET, Instant.now());
        ((ObjectNode) event.get("data").get("object")).put("amount_total", 1);

        deliver(StripeFixtures.bytes(event), signature)
                .expectStatus()
                .isBadRequest()
                .expectBody()
                .jsonPath("$.error")
                .isEqualTo("invalid_signature");
        assertThat(receipts(event.get("id").asString())).isZero();
        assertThat(ordersWithExternalId(pi)).isZero();
    }

    @Test
    void malformedJsonWithAValidSignatureIsRefusedAndStoresNothing() {
        byte[] payload = "{\"id\": \"evt_broken\", \"object\": \"event\", ".getBytes(StandardCharsets.UTF_8);
        double before = rejected("malformed_payload");

        deliver(payload, StripeFixtures.signature(payload, PRIMARY_SECRET, Instant.now()))
                .expectStatus()
                .isBadRequest()
                .expectHeader()
                .contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.error")
                .isEqualTo("malformed_payload")
                .jsonPath("$.status")
                .isEqualTo(400);

        assertThat(receipts("evt_broken")).isZero();
        assertThat(rejected("malformed_payload")).isEqualTo(before + 1);
    }

    @Test
    void aHandledTypeCarryingTheWrongObjectIsRefusedAndStoresNothing() {
        ObjectNode event = event("checkout.session.completed", StripeFixtures.fixture("payment_intent"));
        deliver(event)
                .expectStatus()
                .isBadRequest()
                .expectBody()
                .jsonPath("$.error")
                .isEqualTo("malformed_payload");
        assertThat(receipts(event.get("id").asString())).isZero();
    }

    @Test
    void theSameEventDeliveredTenTimesInARowHasOneEffect() {
        String pi = StripeFixtures.unique("pi_");
        ObjectNode completed =
                event("checkout.session.completed", paidCheckoutSession(pi, "ten@example.com", "demo-app"));
        byte[] payload = StripeFixtures.bytes(completed);

        for (int i = 0; i < 10; i++) {
            deliver(payload, StripeFixtures.signature(payload, PRIMARY_SECRET, Instant.now()))
                    .expectStatus()
                    .isOk()
                    .expectBody()
                    .jsonPath("$.duplicate")
                    .isEqualTo(i > 0);
        }

        awaitPublished(pi, "paid");
        awaitOutboxDrained();
        assertOnlyStatuses(published(pi), "paid");
        assertThat(receipts(completed.get("id").asString())).isEqualTo(1);
        assertThat(ordersWithExternalId(pi)).isEqualTo(1);
    }

    @Test
    void theSameEventDeliveredTenTimesConcurrentlyHasOneEffect() {
        String pi = StripeFixtures.unique("pi_");
        ObjectNode completed =
                event("checkout.session.completed", paidCheckoutSession(pi, "race@example.com", "demo-app"));
        byte[] payload = StripeFixtures.bytes(completed);
        String signature = StripeFixtures.signature(payload, PRIMARY_SECRET, Instant.now());
        WebClient client = WebClient.create("http://127.0.0.1:" + port);

        List<Integer> statuses = Flux.range(0, 10)
                .flatMap(
                        i -> client.post()
                                .uri("/webhooks/stripe")
                                .contentType(MediaType.APPLICATION_JSON)
                                .header("Stripe-Signature", signature)
                                .bodyValue(payload)
                                .exchangeToMono(response -> response.releaseBody()
                                        .thenReturn(response.statusCode().value())),
                        10)
                .collectList()
                .block(Duration.ofSeconds(30));

        assertThat(statuses).hasSize(10).containsOnly(200);
        awaitPublished(pi, "paid");
        awaitOutboxDrained();
        assertOnlyStatuses(published(pi), "paid");
        assertThat(receipts(completed.get("id").asString())).isEqualTo(1);
        assertThat(ordersWithExternalId(pi)).isEqualTo(1);
    }

    @Test
    void aRefundArrivingBeforeThePaymentEndsRefundedAndNoPaidIsPublishedAfterIt() {
        String pi = StripeFixtures.unique("pi_");
        ObjectNode refunded = event("charge.refunded", StripeFixtures.refundedCharge(pi, true));
        ObjectNode completed =
                event("checkout.session.completed", paidCheckoutSession(pi, "late@example.com", "demo-app"));
        ObjectNode succeeded = event("payment_intent.succeeded", StripeFixtures.succeededPaymentIntent(pi));

        deliver(refunded).expectStatus().isOk();
        awaitPublished(pi, "refunded");
        deliver(completed).expectStatus().isOk();
        deliver(succeeded).expectStatus().isOk();
        await().until(() -> processed(completed.get("id").asString())
                && processed(succeeded.get("id").asString()));

        awaitOutboxDrained();
        assertOnlyStatuses(published(pi), "refunded");
        assertThat(statusOf("stripe", pi)).contains("refunded");
        // The late payment still taught the order its customer and products.
        JsonNode order = adminOrderByEmail("late@example.com");
        assertThat(order.get("status").asString()).isEqualTo("refunded");
        assertThat(order.get("lines").get(0).get("sku").asString()).isEqualTo("demo-app");
    }

    @Test
    void aDisputeMovesAPaidOrderForwardAndALateDisputeCreatedDoesNotMoveItBack() {
        String pi = StripeFixtures.unique("pi_");
        deliver(event("checkout.session.completed", paidCheckoutSession(pi, "dispute@example.com", "demo-app")))
                .expectStatus()
                .isOk();
        awaitPublished(pi, "paid");
        deliver(event("charge.dispute.closed", StripeFixtures.dispute(pi, "lost")))
                .expectStatus()
                .isOk();
        Published lost = awaitPublished(pi, "dispute_lost");
        assertThat(lost.text("previousStatus")).isEqualTo("paid");

        ObjectNode lateCreated = event("charge.dispute.created", StripeFixtures.dispute(pi, "needs_response"));
        deliver(lateCreated).expectStatus().isOk();
        await().until(() -> processed(lateCreated.get("id").asString()));

        awaitOutboxDrained();
        assertOnlyStatuses(published(pi), "paid", "dispute_lost");
    }

    @Test
    void otherEventTypesAreAcknowledgedAndIgnored() {
        ObjectNode planCreated = StripeFixtures.fixture("event");
        planCreated.put("id", StripeFixtures.unique("evt_"));
        planCreated.put("created", Instant.now().getEpochSecond());

        deliver(planCreated).expectStatus().isOk();

        await().until(() -> processed(planCreated.get("id").asString()));
        assertThat(db.sql("SELECT outcome FROM orders.webhook_receipts WHERE event_id = :id")
                        .bind("id", planCreated.get("id").asString())
                        .map(row -> row.get("outcome", String.class))
                        .one()
                        .block())
                .isEqualTo("ignored:unhandled_type");
    }

    @Test
    void processedReceiptsPastTheirRetentionAreDeletedAndPendingOnesKept() {
        ObjectNode old = StripeFixtures.fixture("event");
        old.put("id", StripeFixtures.unique("evt_"));
        old.put("created", Instant.now().getEpochSecond());
        ObjectNode recent = StripeFixtures.fixture("event");
        recent.put("id", StripeFixtures.unique("evt_"));
        recent.put("created", Instant.now().getEpochSecond());
        deliver(old).expectStatus().isOk();
        deliver(recent).expectStatus().isOk();
        await().until(() -> processed(old.get("id").asString())
                && processed(recent.get("id").asString()));
        db.sql("UPDATE orders.webhook_receipts SET processed_at = now() - interval '91 days' WHERE event_id = :id")
                .bind("id", old.get("id").asString())
                .fetch()
                .rowsUpdated()
                .block();
        String pending = StripeFixtures.unique("evt_");
        db.sql(
                        """
                        INSERT INTO orders.webhook_receipts (event_id, provider, event_type, source, livemode,
                                                             event_created_at, payload, received_at, next_attempt_at)
                        VALUES (:id, 'stripe', 'plan.created', 'webhook', false, now() - interval '100 days',
                                '{}'::jsonb, now() - interval '100 days', now() + interval '1 day')
                        """)
                .bind("id", pending)
                .fetch()
                .rowsUpdated()
                .block();

        receiptProcessor.forgetOld().block();

        assertThat(receipts(old.get("id").asString())).isZero();
        assertThat(receipts(recent.get("id").asString())).isEqualTo(1);
        assertThat(receipts(pending))
                .as("a receipt not processed yet is never deleted")
                .isEqualTo(1);
        db.sql("DELETE FROM orders.webhook_receipts WHERE event_id = :id")
                .bind("id", pending)
                .fetch()
                .rowsUpdated()
                .block();
    }

    @Test
    void lineItemsAreFetchedFromStripeAndAnUnmappedLineIsRecordedAndReported() {
        String pi = StripeFixtures.unique("pi_");
        ObjectNode session = paidCheckoutSession(pi, "lines@example.com", null);
        FakeStripe.shared()
                .setLineItems(
                        session.get("id").asString(),
                        List.of(
                                StripeFixtures.lineItem("price_tagged", "demo-app", null, 2),
                                StripeFixtures.lineItem("price_ConfiguredDemo", null, null, 1),
                                StripeFixtures.lineItem("price_unknown", null, null, 1)));
        double unmappedBefore = unmapped();

        deliver(event("checkout.session.completed", session)).expectStatus().isOk();

        Published paid = awaitPublished(pi, "paid");
        assertThat(paid.value()
                        .get("lines")
                        .valueStream()
                        .map(l -> l.get("sku").asString())
                        .toList())
                .containsExactly("demo-app", "configured-sku");
        assertThat(paid.value().get("lines").get(0).get("quantity").asInt()).isEqualTo(2);
        JsonNode order = adminOrderByEmail("lines@example.com");
        assertThat(order.get("attention").asString()).isEqualTo("unmapped_lines");
        assertThat(order.get("lines")).hasSize(3);
        assertThat(order.get("lines").get(2).get("price_id").asString()).isEqualTo("price_unknown");
        assertThat(order.get("lines").get(2).get("mapped").asBoolean()).isFalse();
        assertThat(unmapped()).isEqualTo(unmappedBefore + 1);
        assertThat(FakeStripe.shared().requests()).anySatisfy(r -> {
            assertThat(r.path())
                    .isEqualTo("/v1/checkout/sessions/" + session.get("id").asString() + "/line_items");
            assertThat(r.authorization()).isEqualTo("Bearer " + FakeStripe.API_KEY);
            assertThat(r.query().get("expand[]")).containsExactly("data.price.product");
        });
    }

    @Test
    void aFailureToFetchLineItemsIsRetriedFromTheStoredReceipt() {
        String pi = StripeFixtures.unique("pi_");
        ObjectNode session = paidCheckoutSession(pi, "retry@example.com", null);
        ObjectNode completed = event("checkout.session.completed", session);

        // Stripe does not know the session yet (404): processing fails and is retried by the sweep.
        deliver(completed).expectStatus().isOk();
        await().until(() -> attempts(completed.get("id").asString()) >= 1);
        assertThat(published(pi)).isEmpty();

        FakeStripe.shared()
                .setLineItems(
                        session.get("id").asString(),
                        List.of(StripeFixtures.lineItem("price_tagged", "demo-app", null, 1)));
        awaitPublished(pi, "paid");
        assertThat(processed(completed.get("id").asString())).isTrue();
    }

    private void assertRefused(java.util.function.Function<byte[], String> signer, String error) {
        String pi = StripeFixtures.unique("pi_");
        ObjectNode event = event("checkout.session.completed", paidCheckoutSession(pi, "buyer@example.com", "x"));
        byte[] payload = StripeFixtures.bytes(event);
        double before = rejected(error);

        deliver(payload, signer.apply(payload))
                .expectStatus()
                .isBadRequest()
                .expectHeader()
                .contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.error")
                .isEqualTo(error)
                .jsonPath("$.type")
                .isEqualTo("https://drawbridge.dev/problems/" + error);

        assertThat(receipts(event.get("id").asString())).isZero();
        assertThat(ordersWithExternalId(pi)).isZero();
        assertThat(rejected(error)).isEqualTo(before + 1);
    }

    private boolean processed(String eventId) {
        return count(
                        "SELECT count(*) FROM orders.webhook_receipts WHERE event_id = :value AND processed_at IS NOT NULL",
                        eventId)
                == 1;
    }

    private long attempts(String eventId) {
        return count(
                "SELECT COALESCE(max(attempts), 0)::bigint FROM orders.webhook_receipts WHERE event_id = :value",
                eventId);
    }

    private JsonNode adminOrderByEmail(String email) {
        byte[] body = web.get()
                .uri(b -> b.path("/api/v1/orders").queryParam("email", email).build())
                .header("Authorization", "Bearer " + ADMIN_TOKEN)
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .returnResult()
                .getResponseBody();
        JsonNode page = StripeFixtures.JSON.readTree(body);
        assertThat(page.get("items")).hasSize(1);
        return page.get("items").get(0);
    }

    private double rejected(String reason) {
        var counter = meters.find("drawbridge.order.webhooks.rejected")
                .tag("reason", reason)
                .counter();
        return counter == null ? 0 : counter.count();
    }

    private double unmapped() {
        var counter = meters.find("drawbridge.order.lines.unmapped")
                .tag("provider", "stripe")
                .counter();
        return counter == null ? 0 : counter.count();
    }
}
