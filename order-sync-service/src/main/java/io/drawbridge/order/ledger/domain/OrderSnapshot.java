package io.drawbridge.order.ledger.domain;

import java.util.List;
import java.util.UUID;

/** An order as the ledger holds it, before or after applying a fact. */
public record OrderSnapshot(
        UUID id,
        String provider,
        String externalId,
        OrderStatus status,
        String customerEmail,
        List<LineItem> lines,
        Long amountTotal,
        Long amountRefunded,
        String currency,
        String chargeId,
        String checkoutSessionId) {

    public OrderSnapshot {
        lines = lines == null ? List.of() : List.copyOf(lines);
    }

    public List<LineItem> mappedLines() {
        return lines.stream().filter(LineItem::mapped).toList();
    }

    public List<LineItem> unmappedLines() {
        return lines.stream().filter(l -> !l.mapped()).toList();
    }

    /**
     * Why an operator should look at the order, null when nothing needs a human: {@code unmapped_lines} (a line
     * whose product is unknown) or {@code missing_lines} (an order that entitles its customer but names no line).
     */
    public String attention() {
        if (!unmappedLines().isEmpty()) {
            return "unmapped_lines";
        }
        return lines.isEmpty() && status.entitles() ? "missing_lines" : null;
    }
}
