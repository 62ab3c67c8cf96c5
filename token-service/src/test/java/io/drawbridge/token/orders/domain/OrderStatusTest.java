package io.drawbridge.token.orders.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class OrderStatusTest {

    @Test
    void aStatusOnlyMovesUpSoALatePaidCannotUndoARefund() {
        assertThat(OrderStatus.PENDING.canMoveTo(OrderStatus.PAID)).isTrue();
        assertThat(OrderStatus.PAID.canMoveTo(OrderStatus.FULFILLED)).isTrue();
        assertThat(OrderStatus.DISPUTED.canMoveTo(OrderStatus.DISPUTE_WON)).isTrue();
        assertThat(OrderStatus.DISPUTE_WON.canMoveTo(OrderStatus.REFUNDED)).isTrue();
        assertThat(OrderStatus.REFUNDED.canMoveTo(OrderStatus.PAID)).isFalse();
        assertThat(OrderStatus.PAID.canMoveTo(OrderStatus.PAID)).isFalse();
        assertThat(OrderStatus.REFUNDED.canMoveTo(OrderStatus.CANCELED)).isFalse();
    }

    @Test
    void paidFulfilledAndAWonDisputeEntitleRefundsDisputesAndCancelationsRevoke() {
        assertThat(List.of(OrderStatus.values()))
                .filteredOn(OrderStatus::entitles)
                .containsExactly(OrderStatus.PAID, OrderStatus.FULFILLED, OrderStatus.DISPUTE_WON);
        assertThat(List.of(OrderStatus.values()))
                .filteredOn(OrderStatus::revokes)
                .containsExactlyInAnyOrder(
                        OrderStatus.REFUNDED, OrderStatus.DISPUTED, OrderStatus.DISPUTE_LOST, OrderStatus.CANCELED);
        assertThat(OrderStatus.parse("dispute_won")).contains(OrderStatus.DISPUTE_WON);
        assertThat(OrderStatus.parse("shipped")).isEmpty();
    }

    @Test
    void aRevokedOrderIsNotEntitledAndAWonDisputeWaitsForAReissue() {
        Order revoked = order("dispute_won", Instant.now());
        Order paid = order("paid", null);

        assertThat(revoked.entitled()).isFalse();
        assertThat(revoked.reissuePending()).isTrue();
        assertThat(paid.entitled()).isTrue();
        assertThat(paid.reissuePending()).isFalse();
        assertThat(paid.isFor("  Buyer@Example.COM ")).isTrue();
        assertThat(paid.isFor("other@example.com")).isFalse();
    }

    static Order order(String status, Instant revokedAt) {
        return new Order(
                "o1",
                "stripe",
                "cs_1",
                "buyer@example.com",
                status,
                Instant.now(),
                null,
                revokedAt,
                "disputed",
                null,
                null,
                Instant.now(),
                Instant.now(),
                List.of());
    }
}
