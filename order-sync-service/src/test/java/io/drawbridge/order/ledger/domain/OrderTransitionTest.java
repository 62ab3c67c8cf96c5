package io.drawbridge.order.ledger.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class OrderTransitionTest {

    private static final Instant AT = Instant.parse("2026-01-01T00:00:00Z");
    private static final LineItem DEMO = new LineItem("li_1", "demo-app", 1, "price_1", "Demo App");

    private static OrderFact fact(OrderStatus status) {
        return OrderFact.of("stripe", "pi_1", status, AT, "test", "evt_1");
    }

    private static OrderSnapshot apply(OrderSnapshot current, OrderFact fact) {
        return OrderTransition.decide(current, fact, UUID.randomUUID()).order();
    }

    @Test
    void aNewOrderTakesTheFactsStatusAndIsAnnouncedWithoutPreviousStatus() {
        OrderTransition t = OrderTransition.decide(
                null,
                fact(OrderStatus.PAID).withLines(List.of(DEMO)).withCustomer("a@example.com", null, null),
                UUID.randomUUID());
        assertThat(t.created()).isTrue();
        assertThat(t.announce()).isTrue();
        assertThat(t.previousStatus()).isNull();
        assertThat(t.order().status()).isEqualTo(OrderStatus.PAID);
        assertThat(t.order().attention()).isNull();
    }

    @Test
    void aLatePaidDoesNotResurrectARefundedOrder() {
        OrderSnapshot refunded = apply(null, fact(OrderStatus.REFUNDED));
        OrderTransition late = OrderTransition.decide(
                refunded,
                fact(OrderStatus.PAID).withLines(List.of(DEMO)).withCustomer("a@example.com", null, null),
                null);
        assertThat(late.order().status()).isEqualTo(OrderStatus.REFUNDED);
        assertThat(late.announce()).isFalse();
        assertThat(late.statusChanged()).isFalse();
        // The details the late event carries are still kept.
        assertThat(late.order().customerEmail()).isEqualTo("a@example.com");
        assertThat(late.order().lines()).containsExactly(DEMO);
    }

    @Test
    void theSameFactTwiceChangesNothingTheSecondTime() {
        OrderFact paid = fact(OrderStatus.PAID).withLines(List.of(DEMO)).withCustomer("a@example.com", null, null);
        OrderSnapshot once = apply(null, paid);
        OrderTransition twice = OrderTransition.decide(once, paid, null);
        assertThat(twice.changed()).isFalse();
        assertThat(twice.announce()).isFalse();
    }

    @Test
    void statusesOnlyMoveForwardAlongTheLattice() {
        assertThat(OrderStatus.PENDING.canMoveTo(OrderStatus.PAID)).isTrue();
        assertThat(OrderStatus.PAID.canMoveTo(OrderStatus.FULFILLED)).isTrue();
        assertThat(OrderStatus.PAID.canMoveTo(OrderStatus.DISPUTED)).isTrue();
        assertThat(OrderStatus.DISPUTED.canMoveTo(OrderStatus.DISPUTE_WON)).isTrue();
        assertThat(OrderStatus.DISPUTED.canMoveTo(OrderStatus.DISPUTE_LOST)).isTrue();
        assertThat(OrderStatus.DISPUTE_WON.canMoveTo(OrderStatus.REFUNDED)).isTrue();
        assertThat(OrderStatus.FULFILLED.canMoveTo(OrderStatus.PAID)).isFalse();
        assertThat(OrderStatus.DISPUTE_WON.canMoveTo(OrderStatus.DISPUTED)).isFalse();
        assertThat(OrderStatus.PAID.canMoveTo(OrderStatus.PAID)).isFalse();
        for (OrderStatus last : List.of(OrderStatus.REFUNDED, OrderStatus.DISPUTE_LOST, OrderStatus.CANCELED)) {
            assertThat(last.isFinal()).isTrue();
            for (OrderStatus next : OrderStatus.values()) {
                assertThat(last.canMoveTo(next)).as(last + " -> " + next).isFalse();
            }
        }
    }

    @Test
    void aDisputeClosedBeforeItsCreationStaysClosed() {
        OrderSnapshot won = apply(apply(null, fact(OrderStatus.PAID)), fact(OrderStatus.DISPUTE_WON));
        OrderTransition lateCreated = OrderTransition.decide(won, fact(OrderStatus.DISPUTED), null);
        assertThat(lateCreated.order().status()).isEqualTo(OrderStatus.DISPUTE_WON);
        assertThat(lateCreated.announce()).isFalse();
    }

    @Test
    void aPaidOrderThatLearnsItsProductsLaterIsAnnouncedAgain() {
        OrderSnapshot paidWithoutLines = apply(null, fact(OrderStatus.PAID).withCustomer("a@example.com", null, null));
        assertThat(paidWithoutLines.attention()).isEqualTo("missing_lines");

        OrderTransition t =
                OrderTransition.decide(paidWithoutLines, fact(OrderStatus.PAID).withLines(List.of(DEMO)), null);
        assertThat(t.statusChanged()).isFalse();
        assertThat(t.announce()).isTrue();
        assertThat(t.previousStatus()).isEqualTo(OrderStatus.PAID);
        assertThat(t.order().lines()).containsExactly(DEMO);
        assertThat(t.order().attention()).isNull();
    }

    @Test
    void aRefundedOrderThatLearnsItsProductsIsNotAnnounced() {
        OrderSnapshot refunded = apply(null, fact(OrderStatus.REFUNDED));
        OrderTransition t = OrderTransition.decide(refunded, fact(null).withLines(List.of(DEMO)), null);
        assertThat(t.announce()).isFalse();
        assertThat(t.linesChanged()).isTrue();
    }

    @Test
    void unmappedLinesAreKeptAndFlagged() {
        LineItem unknown = new LineItem("li_2", null, 1, "price_unknown", "Mystery");
        OrderSnapshot order = apply(null, fact(OrderStatus.PAID).withLines(List.of(DEMO, unknown)));
        assertThat(order.lines()).containsExactly(DEMO, unknown);
        assertThat(order.mappedLines()).containsExactly(DEMO);
        assertThat(order.attention()).isEqualTo("unmapped_lines");
    }

    @Test
    void theRefundedAmountOnlyGrowsAndFirstKnownDetailsWin() {
        OrderSnapshot order =
                apply(null, fact(null).withAmounts(1000L, 300L, "EUR").withStripeRefs("ch_1", null));
        OrderSnapshot after =
                apply(order, fact(null).withAmounts(2000L, 100L, "usd").withStripeRefs("ch_2", "cs_1"));
        assertThat(after.amountTotal()).isEqualTo(1000L);
        assertThat(after.amountRefunded()).isEqualTo(300L);
        assertThat(after.currency()).isEqualTo("eur");
        assertThat(after.chargeId()).isEqualTo("ch_1");
        assertThat(after.checkoutSessionId()).isEqualTo("cs_1");
    }
}
