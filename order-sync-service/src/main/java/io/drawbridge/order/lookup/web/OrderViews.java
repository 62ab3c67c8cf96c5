package io.drawbridge.order.lookup.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.drawbridge.order.ledger.domain.LineItem;
import io.drawbridge.order.lookup.persistence.OrderQueries.OrderRow;
import io.drawbridge.order.lookup.persistence.OrderQueries.StatusChangeRow;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.annotation.JsonNaming;

/** The admin API's JSON (snake_case). */
final class OrderViews {

    private OrderViews() {}

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record LineView(String lineId, String sku, int quantity, String priceId, String description, boolean mapped) {
        static LineView of(LineItem line) {
            return new LineView(
                    line.lineId(), line.sku(), line.quantity(), line.priceId(), line.description(), line.mapped());
        }
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record StatusChangeView(String status, String previousStatus, String source, String sourceRef, Instant occurredAt) {
        static StatusChangeView of(StatusChangeRow row) {
            return new StatusChangeView(
                    row.status(), row.previousStatus(), row.source(), row.sourceRef(), row.occurredAt());
        }
    }

    /** @param history only in the single-order view */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record OrderView(
            UUID id,
            String provider,
            String externalId,
            String customerEmail,
            String status,
            List<LineView> lines,
            Long amountTotal,
            Long amountRefunded,
            String currency,
            String chargeId,
            String checkoutSessionId,
            String attention,
            Instant statusChangedAt,
            Instant createdAt,
            Instant updatedAt,
            @JsonInclude(JsonInclude.Include.NON_NULL) List<StatusChangeView> history) {

        static OrderView of(OrderRow row, List<StatusChangeView> history) {
            return new OrderView(
                    row.id(),
                    row.provider(),
                    row.externalId(),
                    row.customerEmail(),
                    row.status(),
                    row.lines().stream().map(LineView::of).toList(),
                    row.amountTotal(),
                    row.amountRefunded(),
                    row.currency(),
                    row.chargeId(),
                    row.checkoutSessionId(),
                    row.attention(),
                    row.statusChangedAt(),
                    row.createdAt(),
                    row.updatedAt(),
                    history);
        }
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record OrderPage(List<OrderView> items, int page, int size, long totalItems) {}
}
