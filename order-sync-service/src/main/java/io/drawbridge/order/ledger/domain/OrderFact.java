package io.drawbridge.order.ledger.domain;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What one provider notification says about one order: possibly a status, possibly details. Facts are applied
 * in whatever order they arrive; the ledger merges details and lets the status only move forward.
 *
 * @param status null when the notification only carries details (e.g. a partial refund)
 * @param lines empty when the notification does not say what was bought
 * @param customerExternalId the provider's customer id, null when unknown
 * @param source where the fact came from, e.g. {@code stripe_webhook}, {@code stripe_reconciliation},
 *     {@code antistock_sync}
 * @param sourceRef the provider's id of the notification (a Stripe event id), for the order's history
 */
public record OrderFact(
        String provider,
        String externalId,
        OrderStatus status,
        String customerEmail,
        String customerExternalId,
        String customerName,
        List<LineItem> lines,
        Long amountTotal,
        Long amountRefunded,
        String currency,
        String chargeId,
        String checkoutSessionId,
        Instant occurredAt,
        String source,
        String sourceRef) {

    public OrderFact {
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(externalId, "externalId");
        Objects.requireNonNull(occurredAt, "occurredAt");
        Objects.requireNonNull(source, "source");
        lines = lines == null ? List.of() : List.copyOf(lines);
        currency = currency == null ? null : currency.toLowerCase(java.util.Locale.ROOT);
    }

    /** A fact with only what every fact needs, for builders and tests. */
    public static OrderFact of(
            String provider,
            String externalId,
            OrderStatus status,
            Instant occurredAt,
            String source,
            String sourceRef) {
        return new OrderFact(
                provider,
                externalId,
                status,
                null,
                null,
                null,
                List.of(),
                null,
                null,
                null,
                null,
                null,
                occurredAt,
                source,
                sourceRef);
    }

    public OrderFact withLines(List<LineItem> newLines) {
        return new OrderFact(
                provider,
                externalId,
                status,
                customerEmail,
                customerExternalId,
                customerName,
                newLines,
                amountTotal,
                amountRefunded,
                currency,
                chargeId,
                checkoutSessionId,
                occurredAt,
                source,
                sourceRef);
    }

    public OrderFact withCustomer(String email, String externalCustomerId, String name) {
        return new OrderFact(
                provider,
                externalId,
                status,
                email,
                externalCustomerId,
                name,
                lines,
                amountTotal,
                amountRefunded,
                currency,
                chargeId,
                checkoutSessionId,
                occurredAt,
                source,
                sourceRef);
    }

    public OrderFact withAmounts(Long total, Long refunded, String newCurrency) {
        return new OrderFact(
                provider,
                externalId,
                status,
                customerEmail,
                customerExternalId,
                customerName,
                lines,
                total,
                refunded,
                newCurrency,
                chargeId,
                checkoutSessionId,
                occurredAt,
                source,
                sourceRef);
    }

    public OrderFact withStripeRefs(String newChargeId, String newCheckoutSessionId) {
        return new OrderFact(
                provider,
                externalId,
                status,
                customerEmail,
                customerExternalId,
                customerName,
                lines,
                amountTotal,
                amountRefunded,
                currency,
                newChargeId,
                newCheckoutSessionId,
                occurredAt,
                source,
                sourceRef);
    }
}
