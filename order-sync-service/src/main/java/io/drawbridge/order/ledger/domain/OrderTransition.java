package io.drawbridge.order.ledger.domain;

import java.util.Objects;
import java.util.UUID;

/**
 * The result of applying one fact to one order: the order afterwards and whether the change is announced.
 *
 * <p>Rules, in order:
 *
 * <ul>
 *   <li>A new order takes the fact's status ({@code pending} for a fact without one); a fact with a status is
 *       announced.
 *   <li>Details merge: what the order already knows wins, except that lines replace a line list without any
 *       mapped line, and the refunded amount only grows.
 *   <li>The status moves only forward along {@link OrderStatus}'s lattice; a move is announced.
 *   <li>An entitling order (paid, fulfilled, dispute won) that learns its customer's email or its products for
 *       the first time is announced again with the same status, so links can be issued once it is known what
 *       to issue and to whom.
 * </ul>
 *
 * @param previousStatus null for a new order
 * @param announce whether an OrderStatusChanged is published
 * @param linesChanged whether the order's lines were set or replaced
 * @param changed whether anything is to be written
 */
public record OrderTransition(
        OrderSnapshot order,
        OrderStatus previousStatus,
        boolean created,
        boolean statusChanged,
        boolean announce,
        boolean linesChanged,
        boolean changed) {

    /** Applies {@code fact} to {@code current} (null when the order is new); {@code newId} names a new order. */
    public static OrderTransition decide(OrderSnapshot current, OrderFact fact, UUID newId) {
        if (current == null) {
            OrderStatus status = fact.status() == null ? OrderStatus.PENDING : fact.status();
            OrderSnapshot created = new OrderSnapshot(
                    newId,
                    fact.provider(),
                    fact.externalId(),
                    status,
                    fact.customerEmail(),
                    fact.lines(),
                    fact.amountTotal(),
                    fact.amountRefunded(),
                    fact.currency(),
                    fact.chargeId(),
                    fact.checkoutSessionId());
            return new OrderTransition(
                    created,
                    null,
                    true,
                    true,
                    fact.status() != null,
                    !fact.lines().isEmpty(),
                    true);
        }

        boolean hadMappedLines = !current.mappedLines().isEmpty();
        boolean takeLines = !hadMappedLines
                && !fact.lines().isEmpty()
                && (fact.lines().stream().anyMatch(LineItem::mapped)
                        || current.lines().isEmpty());
        boolean gainedEmail = current.customerEmail() == null && fact.customerEmail() != null;

        OrderStatus status = current.status();
        boolean statusChanged = fact.status() != null && current.status().canMoveTo(fact.status());
        if (statusChanged) {
            status = fact.status();
        }

        OrderSnapshot next = new OrderSnapshot(
                current.id(),
                current.provider(),
                current.externalId(),
                status,
                gainedEmail ? fact.customerEmail() : current.customerEmail(),
                takeLines ? fact.lines() : current.lines(),
                current.amountTotal() != null ? current.amountTotal() : fact.amountTotal(),
                maxOf(current.amountRefunded(), fact.amountRefunded()),
                current.currency() != null ? current.currency() : fact.currency(),
                current.chargeId() != null ? current.chargeId() : fact.chargeId(),
                current.checkoutSessionId() != null ? current.checkoutSessionId() : fact.checkoutSessionId());

        boolean gainedMappedLines = takeLines && !next.mappedLines().isEmpty();
        boolean reannounce = !statusChanged && status.entitles() && (gainedMappedLines || gainedEmail);
        return new OrderTransition(
                next,
                current.status(),
                false,
                statusChanged,
                statusChanged || reannounce,
                takeLines,
                !Objects.equals(next, current));
    }

    private static Long maxOf(Long a, Long b) {
        if (a == null) {
            return b;
        }
        if (b == null) {
            return a;
        }
        return Math.max(a, b);
    }
}
