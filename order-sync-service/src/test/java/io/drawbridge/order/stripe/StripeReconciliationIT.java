package io.drawbridge.order.stripe;

import static io.drawbridge.order.support.StripeFixtures.event;
import static io.drawbridge.order.support.StripeFixtures.paidCheckoutSession;
import static org.assertj.core.api.Assertions.assertThat;

import io.drawbridge.order.support.FakeStripe;
import io.drawbridge.order.support.OrderSyncServiceTestSupport;
import io.drawbridge.order.support.RecordedRequest;
import io.drawbridge.order.support.StripeFixtures;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.node.ObjectNode;

class StripeReconciliationIT extends OrderSyncServiceTestSupport {

    @Autowired
    StripeReconciler reconciler;

    @BeforeEach
    void freshStripe() {
        FakeStripe.shared().reset();
        db.sql("DELETE FROM orders.sync_cursors WHERE name = 'stripe_events'")
                .then()
                .block();
    }

    @Test
    void anEventWhoseWebhookNeverArrivedIsAppliedOnceThroughTheSamePath() {
        Instant now = Instant.now();
        String delivered = StripeFixtures.unique("pi_");
        String missed = StripeFixtures.unique("pi_");
        String missedRefund = StripeFixtures.unique("pi_");
        ObjectNode deliveredEvent = event(
                StripeFixtures.unique("evt_"),
                "checkout.session.completed",
                paidCheckoutSession(delivered, "delivered@example.com", "demo-app"),
                now.minusSeconds(120));
        ObjectNode missedEvent = event(
                StripeFixtures.unique("evt_"),
                "checkout.session.completed",
                paidCheckoutSession(missed, "missed@example.com", "demo-app"),
                now.minusSeconds(60));
        ObjectNode missedRefundEvent = event(
                StripeFixtures.unique("evt_"),
                "charge.refunded",
                StripeFixtures.refundedCharge(missedRefund, true),
                now.minusSeconds(30));
        FakeStripe.shared().addEvent(deliveredEvent);
        FakeStripe.shared().addEvent(missedEvent);
        FakeStripe.shared().addEvent(missedRefundEvent);
        // Lots of events, so that listing needs several pages.
        for (int i = 0; i < 205; i++) {
            ObjectNode other = StripeFixtures.fixture("event");
            other.put("id", StripeFixtures.unique("evt_"));
            other.put("created", now.minusSeconds(300 + i).getEpochSecond());
            other.put("type", i % 2 == 0 ? "charge.dispute.closed" : "invoice.paid");
            ObjectNode dispute = StripeFixtures.dispute(StripeFixtures.unique("pi_other_"), "under_review");
            ((ObjectNode) other.get("data")).set("object", dispute);
            FakeStripe.shared().addEvent(other);
        }
        deliver(deliveredEvent).expectStatus().isOk();
        awaitPublished(delivered, "paid");

        StripeReconciler.Run run = reconciler.reconcile().block(Duration.ofSeconds(30));

        assertThat(run.listed()).isEqualTo(3 + 103);
        assertThat(run.stored()).isEqualTo(2 + 103);
        awaitPublished(missed, "paid");
        awaitPublished(missedRefund, "refunded");
        awaitOutboxDrained();
        assertOnlyStatuses(published(delivered), "paid");
        assertOnlyStatuses(published(missed), "paid");
        assertThat(db.sql("SELECT source FROM orders.webhook_receipts WHERE event_id = :id")
                        .bind("id", missedEvent.get("id").asString())
                        .map(row -> row.get("source", String.class))
                        .one()
                        .block())
                .isEqualTo(ReceiptIntake.RECONCILIATION);

        List<RecordedRequest> listings = FakeStripe.shared().requests().stream()
                .filter(r -> r.path().equals("/v1/events"))
                .toList();
        assertThat(listings).hasSize(2);
        assertThat(listings).allSatisfy(r -> {
            assertThat(r.authorization()).isEqualTo("Bearer " + FakeStripe.API_KEY);
            assertThat(r.query().get("types[]"))
                    .contains(
                            "checkout.session.completed",
                            "charge.refunded",
                            "payment_intent.succeeded",
                            "charge.dispute.created",
                            "charge.dispute.closed");
            assertThat(r.param("limit")).isEqualTo("100");
        });
        assertThat(listings.get(0).param("starting_after")).isNull();
        assertThat(listings.get(1).param("starting_after")).isNotNull();
        long since = Long.parseLong(listings.get(0).param("created[gt]"));
        assertThat(since)
                .isBetween(
                        now.minus(Duration.ofDays(3)).getEpochSecond() - 700,
                        now.minus(Duration.ofDays(3)).getEpochSecond() + 60);
    }

    @Test
    void aSecondRunStartsFromTheNewestEventSeenMinusTheOverlapAndStoresNothingTwice() {
        Instant now = Instant.now();
        String pi = StripeFixtures.unique("pi_");
        ObjectNode missed = event(
                StripeFixtures.unique("evt_"),
                "payment_intent.succeeded",
                StripeFixtures.succeededPaymentIntent(pi),
                now.minusSeconds(10));
        FakeStripe.shared().addEvent(missed);

        assertThat(reconciler.reconcile().block(Duration.ofSeconds(30)).stored())
                .isEqualTo(1);
        StripeReconciler.Run second = reconciler.reconcile().block(Duration.ofSeconds(30));

        assertThat(second.listed()).isEqualTo(1);
        assertThat(second.stored()).isZero();
        RecordedRequest last = FakeStripe.shared()
                .requests()
                .get(FakeStripe.shared().requests().size() - 1);
        assertThat(Long.parseLong(last.param("created[gt]")))
                .isEqualTo(
                        missed.get("created").asLong() - Duration.ofMinutes(10).toSeconds());
        awaitPublished(pi, "paid");
        awaitOutboxDrained();
        assertOnlyStatuses(published(pi), "paid");
        assertThat(receipts(missed.get("id").asString())).isEqualTo(1);
    }
}
