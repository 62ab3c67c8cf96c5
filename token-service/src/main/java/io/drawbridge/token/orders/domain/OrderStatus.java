package io.drawbridge.token.orders.domain;

import java.util.Locale;
import java.util.Optional;

/**
 * An order's status as OrderStatusChanged names it, ranked so that a status only ever moves up: a late or repeated
 * {@code paid} cannot undo a {@code refunded} that was seen first. The three of the top rank are final.
 */
public enum OrderStatus {
    PENDING(0),
    PAID(10),
    FULFILLED(20),
    DISPUTED(30),
    DISPUTE_WON(40),
    REFUNDED(100),
    DISPUTE_LOST(100),
    CANCELED(100);

    private final int rank;

    OrderStatus(int rank) {
        this.rank = rank;
    }

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether an order in this status may move to {@code next}. */
    public boolean canMoveTo(OrderStatus next) {
        return next.rank > rank;
    }

    /** The customer paid and keeps what they paid for: their links are issued. */
    public boolean entitles() {
        return this == PAID || this == FULFILLED || this == DISPUTE_WON;
    }

    /** The money went back, or may: every link of the order is revoked. */
    public boolean revokes() {
        return this == REFUNDED || this == DISPUTED || this == DISPUTE_LOST || this == CANCELED;
    }

    public static Optional<OrderStatus> parse(String value) {
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(valueOf(value.trim().toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
