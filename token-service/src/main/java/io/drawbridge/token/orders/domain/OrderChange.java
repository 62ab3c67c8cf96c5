package io.drawbridge.token.orders.domain;

import java.time.Instant;
import java.util.List;

/** What an OrderStatusChanged event says, in the domain's terms. */
public record OrderChange(
        String orderId,
        String provider,
        String externalId,
        String customerEmail,
        OrderStatus status,
        List<Line> lines,
        Instant occurredAt) {

    /** A line of the order: one link is issued per line. */
    public record Line(String lineId, String sku, int quantity) {}

    public OrderChange {
        lines = lines == null ? List.of() : List.copyOf(lines);
    }
}
