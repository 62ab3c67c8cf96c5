package io.drawbridge.order.antistock;

import io.drawbridge.order.ledger.domain.OrderStatus;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Antistock's order statuses in Drawbridge's terms (documented in the README). A status not listed (or {@code
 * partially_refunded}) changes no status; the order's details are still recorded.
 */
final class AntistockStatusMapping {

    private static final Map<String, OrderStatus> MAPPING = Map.ofEntries(
            Map.entry("pending", OrderStatus.PENDING),
            Map.entry("awaiting_payment", OrderStatus.PENDING),
            Map.entry("paid", OrderStatus.PAID),
            Map.entry("processing", OrderStatus.PAID),
            Map.entry("fulfilled", OrderStatus.FULFILLED),
            Map.entry("delivered", OrderStatus.FULFILLED),
            Map.entry("completed", OrderStatus.FULFILLED),
            Map.entry("refunded", OrderStatus.REFUNDED),
            Map.entry("disputed", OrderStatus.DISPUTED),
            Map.entry("chargeback_won", OrderStatus.DISPUTE_WON),
            Map.entry("chargeback_lost", OrderStatus.DISPUTE_LOST),
            Map.entry("chargeback", OrderStatus.DISPUTE_LOST),
            Map.entry("canceled", OrderStatus.CANCELED),
            Map.entry("cancelled", OrderStatus.CANCELED),
            Map.entry("expired", OrderStatus.CANCELED));

    private AntistockStatusMapping() {}

    static Optional<OrderStatus> statusOf(String antistockStatus) {
        if (antistockStatus == null) {
            return Optional.empty();
        }
        return Optional.ofNullable(MAPPING.get(antistockStatus.strip().toLowerCase(Locale.ROOT)));
    }
}
