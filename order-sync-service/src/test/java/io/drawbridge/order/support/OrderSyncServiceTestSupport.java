package io.drawbridge.order.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.drawbridge.embedded.WithEmbeddedInfrastructure;
import io.drawbridge.order.support.OrdersTopic.Published;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.MediaType;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.node.ObjectNode;

/**
 * One Spring context for every integration test of the service (same properties, so it is cached): the service
 * against the JVM's real Kafka and PostgreSQL, Stripe and Antistock played by {@link FakeStripe} and {@link
 * FakeAntistock}. The schedules are slowed down so tests drive reconciliation and sync runs themselves.
 */
@WithEmbeddedInfrastructure
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "drawbridge.order.stripe.webhook-secrets=" + OrderSyncServiceTestSupport.PRIMARY_SECRET + ","
                    + OrderSyncServiceTestSupport.SECONDARY_SECRET,
            "drawbridge.order.stripe.api-key=" + FakeStripe.API_KEY,
            "drawbridge.order.stripe.reconciliation.enabled=false",
            "drawbridge.order.stripe.price-skus[price_ConfiguredDemo]=configured-sku",
            "drawbridge.order.antistock.api-token=" + FakeAntistock.TOKEN,
            "drawbridge.order.antistock.interval=1h",
            "drawbridge.order.antistock.initial-delay=1h",
            "drawbridge.order.antistock.request-timeout=2s",
            "drawbridge.order.antistock.max-retry-after=5s",
            "drawbridge.order.receipts.sweep-interval=1s",
            "drawbridge.order.receipts.retry-backoff=200ms",
            "drawbridge.security.admin-token=" + OrderSyncServiceTestSupport.ADMIN_TOKEN,
            "drawbridge.security.service-token=test-service-token",
            "resilience4j.retry.instances.antistock.wait-duration=50ms",
            "resilience4j.retry.instances.antistock.exponential-max-wait-duration=200ms",
            "resilience4j.circuitbreaker.instances.antistock.minimum-number-of-calls=4",
            "resilience4j.circuitbreaker.instances.antistock.sliding-window-size=4",
            "resilience4j.circuitbreaker.instances.antistock.failure-rate-threshold=75",
            "resilience4j.circuitbreaker.instances.antistock.wait-duration-in-open-state=1h",
            "resilience4j.ratelimiter.instances.antistock.limit-for-period=100",
        })
@AutoConfigureWebTestClient
public abstract class OrderSyncServiceTestSupport {

    public static final String PRIMARY_SECRET = "whsec_test_primary_secret";
    public static final String SECONDARY_SECRET = "whsec_test_secondary_secret";
    public static final String ADMIN_TOKEN = "test-admin-token";

    @Autowired
    protected WebTestClient web;

    @Autowired
    protected DatabaseClient db;

    @DynamicPropertySource
    static void thirdParties(DynamicPropertyRegistry registry) {
        registry.add("drawbridge.order.stripe.api-base-url", () -> FakeStripe.shared()
                .baseUrl());
        registry.add("drawbridge.order.antistock.base-url", () -> FakeAntistock.shared()
                .baseUrl());
    }

    protected static OrdersTopic ordersTopic() {
        return OrdersTopic.shared(System.getProperty("DRAWBRIDGE_KAFKA_BOOTSTRAP_SERVERS"));
    }

    /** Delivers {@code event} signed with the primary secret, as Stripe would now. */
    protected WebTestClient.ResponseSpec deliver(ObjectNode event) {
        byte[] payload = StripeFixtures.bytes(event);
        return deliver(payload, StripeFixtures.signature(payload, PRIMARY_SECRET, Instant.now()));
    }

    protected WebTestClient.ResponseSpec deliver(byte[] payload, String signature) {
        WebTestClient.RequestBodySpec request = web.post()
                .uri("/webhooks/stripe")
                .contentType(MediaType.APPLICATION_JSON)
                .header("User-Agent", "Stripe/1.0 (+https://stripe.com/docs/webhooks)");
        if (signature != null) {
            request = request.header("Stripe-Signature", signature);
        }
        return request.bodyValue(payload).exchange();
    }

    /** Waits for the OrderStatusChanged of {@code externalId} with {@code status} and returns it. */
    protected Published awaitPublished(String externalId, String status) {
        return await().atMost(Duration.ofSeconds(30))
                .until(
                        () -> ordersTopic().forExternalId(externalId).stream()
                                .filter(p -> status.equals(p.text("status")))
                                .findFirst(),
                        Optional::isPresent)
                .orElseThrow();
    }

    /**
     * Returns once every event appended to the outbox before this call has reached Kafka: the relay sends in
     * outbox order, so a marker order's event arriving means nothing earlier is still on its way. This is what
     * lets a test assert that something was published exactly once, or not at all.
     */
    protected void awaitOutboxDrained() {
        String marker = StripeFixtures.unique("pi_fence_");
        deliver(StripeFixtures.event(
                        "checkout.session.completed",
                        StripeFixtures.paidCheckoutSession(marker, "fence@example.com", "fence")))
                .expectStatus()
                .isOk();
        awaitPublished(marker, "paid");
    }

    protected List<Published> published(String externalId) {
        return ordersTopic().forExternalId(externalId);
    }

    protected long count(String sql, String value) {
        return db.sql(sql)
                .bind("value", value)
                .map(row -> row.get(0, Long.class))
                .one()
                .block();
    }

    protected long receipts(String eventId) {
        return count("SELECT count(*) FROM orders.webhook_receipts WHERE event_id = :value", eventId);
    }

    protected long ordersWithExternalId(String externalId) {
        return count("SELECT count(*) FROM orders.orders WHERE external_id = :value", externalId);
    }

    protected Optional<String> statusOf(String provider, String externalId) {
        return db.sql("SELECT status FROM orders.orders WHERE provider = :provider AND external_id = :id")
                .bind("provider", provider)
                .bind("id", externalId)
                .map(row -> row.get("status", String.class))
                .one()
                .blockOptional();
    }

    protected static void assertOnlyStatuses(List<Published> published, String... statuses) {
        assertThat(published.stream().map(p -> p.text("status")).toList())
                .as(OrdersTopic.describe(published))
                .containsExactly(statuses);
    }
}
