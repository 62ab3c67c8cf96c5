package io.drawbridge.order.stripe.domain;

import static io.drawbridge.order.support.StripeFixtures.event;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.drawbridge.order.ledger.domain.LineItem;
import io.drawbridge.order.ledger.domain.OrderFact;
import io.drawbridge.order.ledger.domain.OrderStatus;
import io.drawbridge.order.support.StripeFixtures;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

class StripeEventInterpreterTest {

    private final StripeEventInterpreter interpreter =
            new StripeEventInterpreter(new StripeSkuMapping(Map.of("price_Configured_1", "configured-sku")));

    private StripeInterpretation interpret(ObjectNode event) {
        return interpreter.interpret(StripeEvent.of(event), "test");
    }

    private OrderFact fact(ObjectNode event) {
        return ((StripeInterpretation.Applies) interpret(event)).fact();
    }

    @Test
    void aPaidCheckoutSessionIsAPaidOrderKeyedByItsPaymentIntent() {
        ObjectNode session = StripeFixtures.paidCheckoutSession("pi_A", "buyer@example.com", "demo-app");
        StripeInterpretation result = interpret(event("checkout.session.completed", session));

        assertThat(result).isInstanceOf(StripeInterpretation.Applies.class);
        StripeInterpretation.Applies applies = (StripeInterpretation.Applies) result;
        assertThat(applies.lineItemsOfSession()).isNull();
        OrderFact fact = applies.fact();
        assertThat(fact.provider()).isEqualTo("stripe");
        assertThat(fact.externalId()).isEqualTo("pi_A");
        assertThat(fact.status()).isEqualTo(OrderStatus.PAID);
        assertThat(fact.customerEmail()).isEqualTo("buyer@example.com");
        assertThat(fact.amountTotal()).isEqualTo(1900L);
        assertThat(fact.currency()).isEqualTo("usd");
        assertThat(fact.checkoutSessionId()).isEqualTo(session.get("id").asString());
        assertThat(fact.lines())
                .containsExactly(new LineItem(session.get("id").asString() + ":demo-app", "demo-app", 1, null, null));
    }

    @Test
    void anUnpaidCheckoutSessionIsPendingAndItsAsyncSuccessPaid() {
        ObjectNode session = StripeFixtures.paidCheckoutSession("pi_B", "buyer@example.com", "demo-app");
        session.put("payment_status", "unpaid");
        assertThat(fact(event("checkout.session.completed", session)).status()).isEqualTo(OrderStatus.PENDING);
        assertThat(fact(event("checkout.session.async_payment_succeeded", session))
                        .status())
                .isEqualTo(OrderStatus.PAID);
    }

    @Test
    void aSessionWithoutSkuMetadataAsksForItsLineItems() {
        ObjectNode session = StripeFixtures.paidCheckoutSession("pi_C", "buyer@example.com", null);
        StripeInterpretation.Applies applies =
                (StripeInterpretation.Applies) interpret(event("checkout.session.completed", session));
        assertThat(applies.lineItemsOfSession()).isEqualTo(session.get("id").asString());
        assertThat(applies.fact().lines()).isEmpty();
    }

    @Test
    void expandedLineItemsMapByPriceMetadataProductMetadataOrConfiguration() {
        ObjectNode session = StripeFixtures.paidCheckoutSession("pi_D", "buyer@example.com", null);
        var data = session.putObject("line_items").putArray("data");
        data.add(StripeFixtures.lineItem("price_tagged", "from-price", null, 2));
        data.add(StripeFixtures.lineItem("price_product", null, "from-product", 1));
        data.add(StripeFixtures.lineItem("price_Configured_1", null, null, 1));
        data.add(StripeFixtures.lineItem("price_unknown", null, null, 1));

        OrderFact fact = fact(event("checkout.session.completed", session));

        assertThat(fact.lines())
                .extracting(LineItem::sku)
                .containsExactly("from-price", "from-product", "configured-sku", null);
        assertThat(fact.lines()).extracting(LineItem::quantity).containsExactly(2, 1, 1, 1);
        assertThat(fact.lines().get(3).priceId()).isEqualTo("price_unknown");
    }

    @Test
    void aSucceededPaymentIntentIsPaid() {
        ObjectNode intent = StripeFixtures.succeededPaymentIntent("pi_E");
        intent.putObject("metadata").put("drawbridge_sku", "demo-app").put("drawbridge_quantity", "3");
        intent.put("receipt_email", "buyer@example.com");
        OrderFact fact = fact(event("payment_intent.succeeded", intent));
        assertThat(fact.externalId()).isEqualTo("pi_E");
        assertThat(fact.status()).isEqualTo(OrderStatus.PAID);
        assertThat(fact.amountTotal()).isEqualTo(1099L);
        assertThat(fact.lines()).containsExactly(new LineItem("pi_E:demo-app", "demo-app", 3, null, null));
    }

    @Test
    void aFullRefundIsRefundedAndAPartialOneOnlyRecordsTheAmount() {
        OrderFact full = fact(event("charge.refunded", StripeFixtures.refundedCharge("pi_F", true)));
        assertThat(full.externalId()).isEqualTo("pi_F");
        assertThat(full.status()).isEqualTo(OrderStatus.REFUNDED);
        assertThat(full.amountRefunded()).isEqualTo(100L);
        assertThat(full.chargeId()).startsWith("ch_");

        OrderFact partial = fact(event("charge.refunded", StripeFixtures.refundedCharge("pi_F", false)));
        assertThat(partial.status()).isNull();
        assertThat(partial.amountRefunded()).isEqualTo(40L);
    }

    @Test
    void aChargeWithoutPaymentIntentIsKeyedByTheChargeId() {
        ObjectNode charge = StripeFixtures.fixture("charge");
        charge.put("refunded", true);
        assertThat(fact(event("charge.refunded", charge)).externalId()).isEqualTo("ch_1PgafuB7WZ01zgkWXYmPNZs8");
    }

    @Test
    void disputesMapToDisputedWonAndLost() {
        assertThat(fact(event("charge.dispute.created", StripeFixtures.dispute("pi_G", "needs_response")))
                        .status())
                .isEqualTo(OrderStatus.DISPUTED);
        assertThat(fact(event("charge.dispute.closed", StripeFixtures.dispute("pi_G", "won")))
                        .status())
                .isEqualTo(OrderStatus.DISPUTE_WON);
        assertThat(fact(event("charge.dispute.closed", StripeFixtures.dispute("pi_G", "warning_closed")))
                        .status())
                .isEqualTo(OrderStatus.DISPUTE_WON);
        assertThat(fact(event("charge.dispute.closed", StripeFixtures.dispute("pi_G", "lost")))
                        .status())
                .isEqualTo(OrderStatus.DISPUTE_LOST);
        assertThat(interpret(event("charge.dispute.closed", StripeFixtures.dispute("pi_G", "under_review"))))
                .isInstanceOf(StripeInterpretation.Ignored.class);
    }

    @Test
    void theStripeExampleDisputeWithoutIntentIsKeyedByItsCharge() {
        assertThat(fact(event("charge.dispute.created", StripeFixtures.fixture("dispute")))
                        .externalId())
                .isEqualTo("ch_1PgafuB7WZ01zgkWXYmPNZs8");
    }

    @Test
    void otherTypesAreIgnored() {
        assertThat(interpret(StripeFixtures.fixture("event")))
                .isEqualTo(new StripeInterpretation.Ignored("unhandled_type"));
    }

    @Test
    void aHandledTypeWithAnotherObjectIsMalformed() {
        ObjectNode wrong = event("checkout.session.completed", StripeFixtures.fixture("charge"));
        assertThatThrownBy(() -> interpret(wrong))
                .isInstanceOfSatisfying(WebhookRejectedException.class, e -> assertThat(e.rejection())
                        .isEqualTo(WebhookRejection.MALFORMED_PAYLOAD));
    }

    @Test
    void envelopesWithoutIdTypeOrObjectAreMalformed() {
        for (String field : new String[] {"id", "type", "created", "data"}) {
            ObjectNode event = StripeFixtures.fixture("event");
            event.remove(field);
            assertThatThrownBy(() -> StripeEvent.of(event)).as(field).isInstanceOf(WebhookRejectedException.class);
        }
        assertThatThrownBy(() -> StripeEvent.parse(StripeFixtures.JSON, "{not json".getBytes()))
                .isInstanceOf(WebhookRejectedException.class);
        assertThatThrownBy(() -> StripeEvent.parse(StripeFixtures.JSON, "[]".getBytes()))
                .isInstanceOf(WebhookRejectedException.class);
        assertThatThrownBy(() -> StripeEvent.parse(StripeFixtures.JSON, new byte[0]))
                .isInstanceOf(WebhookRejectedException.class);
    }
}
