package io.drawbridge.order.privacy;

import static io.drawbridge.order.support.StripeFixtures.event;
import static io.drawbridge.order.support.StripeFixtures.paidCheckoutSession;
import static io.drawbridge.order.support.StripeFixtures.refundedCharge;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.drawbridge.events.CustomerErasureRequested;
import io.drawbridge.order.support.OrderSyncServiceTestSupport;
import io.drawbridge.order.support.StripeFixtures;
import io.drawbridge.platform.kafka.EventPublisher;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

class CustomerErasureIT extends OrderSyncServiceTestSupport {

    @Autowired
    EventPublisher publisher;

    @Test
    void anErasureRequestRemovesTheCustomerFromCustomersOrdersStoredWebhooksAndTheOutboxAndAnswersWhatItErased() {
        String unique = StripeFixtures.unique("x");
        String email = "Erase.Me-" + unique + "@Example.com";
        String other = "keep-" + unique + "@example.com";
        String pi = StripeFixtures.unique("pi_");
        String otherPi = StripeFixtures.unique("pi_");
        deliver(event("checkout.session.completed", paidCheckoutSession(pi, email, "demo-app")))
                .expectStatus()
                .isOk();
        awaitPublished(pi, "paid");
        deliver(event("charge.refunded", refundedCharge(pi, true)))
                .expectStatus()
                .isOk();
        awaitPublished(pi, "refunded");
        deliver(event("checkout.session.completed", paidCheckoutSession(otherPi, other, "demo-app")))
                .expectStatus()
                .isOk();
        awaitPublished(otherPi, "paid");
        String lower = email.toLowerCase();
        assertThat(rowsMentioning(lower)).isNotEmpty();
        String label = "erased-" + unique.substring(1, 17);

        UUID erasureId = UUID.randomUUID();
        publisher
                .publish(new CustomerErasureRequested(
                        erasureId, CustomerErasureRequested.emailHash(email), label, Instant.now()))
                .block(Duration.ofSeconds(30));

        JsonNode answer = await().atMost(Duration.ofSeconds(30)).until(() -> answer(erasureId), a -> a != null);
        assertThat(answer.get("service").asString()).isEqualTo("order-sync-service");
        JsonNode erased = answer.get("erased");
        assertThat(erased.get("customers").asLong()).isEqualTo(1);
        assertThat(erased.get("orders").asLong()).isEqualTo(1);
        assertThat(erased.get("webhook_payloads").asLong()).isEqualTo(2);
        assertThat(erased.get("outbox_events").asLong()).isEqualTo(2);
        assertThat(rowsMentioning(lower)).isEmpty();
        assertThat(rowsMentioning(email)).isEmpty();
        assertThat(count(
                        "SELECT count(*) FROM orders.orders WHERE external_id = :value AND customer_email LIKE 'erased-%'",
                        pi))
                .isEqualTo(1);
        // The person's name went with the address; the other customer's receipt still has both.
        assertThat(count(
                        "SELECT count(*) FROM orders.webhook_receipts WHERE payload::text LIKE '%Jenny Rosen%'"
                                + " AND strpos(payload::text, :value) > 0",
                        pi))
                .isZero();
        assertThat(rowsMentioning(other)).contains("webhook_receipts", "orders", "customers");
    }

    /** The CustomerErased answer to {@code erasureId} in the outbox, or null. */
    private JsonNode answer(UUID erasureId) {
        List<String> payloads = db.sql(
                        "select payload::text as p from orders.outbox where event_type = 'CustomerErased'"
                                + " and message_key = :key")
                .bind("key", erasureId.toString())
                .map(row -> row.get("p", String.class))
                .all()
                .collectList()
                .block(Duration.ofSeconds(10));
        return payloads.isEmpty() ? null : StripeFixtures.JSON.readTree(payloads.get(0));
    }

    /** The tables of the service's schema with a row whose text contains {@code text}. */
    private List<String> rowsMentioning(String text) {
        return db.sql(
                        """
                        select 'customers' as t from orders.customers c where strpos(c::text, :text) > 0
                        union select 'orders' from orders.orders o where strpos(o::text, :text) > 0
                        union select 'webhook_receipts' from orders.webhook_receipts w where strpos(w::text, :text) > 0
                        union select 'outbox' from orders.outbox x where strpos(x::text, :text) > 0
                        union select 'order_status_changes' from orders.order_status_changes s
                            where strpos(s::text, :text) > 0
                        """)
                .bind("text", text)
                .map(row -> row.get("t", String.class))
                .all()
                .collectList()
                .block(Duration.ofSeconds(10));
    }
}
