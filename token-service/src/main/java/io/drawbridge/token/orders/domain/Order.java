package io.drawbridge.token.orders.domain;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * token-service's view of an order, kept from OrderStatusChanged: enough to decide whether its links may exist
 * (paid and not revoked) and to check a storefront's claim for them. {@code revokedAt} stays set from the first
 * refund, dispute or cancelation on, even when that event came before the payment; only an admin's reissue after a
 * won dispute clears it.
 */
public record Order(
        String orderId,
        String provider,
        String externalId,
        String customerEmail,
        String status,
        Instant statusAt,
        Instant paidAt,
        Instant revokedAt,
        String revokeReason,
        Instant disputeWonAt,
        Instant reinstatedAt,
        Instant createdAt,
        Instant updatedAt,
        List<OrderLine> lines) {

    public Order {
        lines = lines == null ? List.of() : List.copyOf(lines);
    }

    public Optional<OrderStatus> knownStatus() {
        return OrderStatus.parse(status);
    }

    public boolean revoked() {
        return revokedAt != null;
    }

    /** Links may exist: paid (or fulfilled, or a dispute won) and not revoked. */
    public boolean entitled() {
        return !revoked() && knownStatus().map(OrderStatus::entitles).orElse(false);
    }

    /** The seller won a dispute that had revoked the links: an admin decides whether to issue them again. */
    public boolean reissuePending() {
        return revoked() && knownStatus().orElse(null) == OrderStatus.DISPUTE_WON;
    }

    /** Whether {@code email} is the order's, ignoring case and surrounding blanks. */
    public boolean isFor(String email) {
        return email != null && customerEmail != null && customerEmail.trim().equalsIgnoreCase(email.trim());
    }
}
