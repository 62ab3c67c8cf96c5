package io.drawbridge.order.ledger.domain;

import java.util.Arrays;
import java.util.Optional;

/**
 * Where an order stands, normalized across storefronts. Statuses form a lattice that only moves forward: a
 * late or duplicate "paid" can never resurrect a refunded order, whatever order the providers deliver their
 * notifications in.
 *
 * <p>The rank orders the lattice: an order moves from a status to another only to a strictly higher rank.
 * The three statuses of the top rank ({@code refunded}, {@code dispute_lost}, {@code canceled}) are final.
 */
public enum OrderStatus {
    PENDING("pending", 0),
    PAID("paid", 10),
    FULFILLED("fulfilled", 20),
    DISPUTED("disputed", 30),
    DISPUTE_WON("dispute_won", 40),
    REFUNDED("refunded", 100),
    DISPUTE_LOST("dispute_lost", 100),
    CANCELED("canceled", 100);

    private final String wireName;
    private final int rank;

    OrderStatus(String wireName, int rank) {
        this.wireName = wireName;
        this.rank = rank;
    }

    /** The name on the wire, in events, in the API and in the database. */
    public String wireName() {
        return wireName;
    }

    /** Whether an order in this status may move to {@code next}. */
    public boolean canMoveTo(OrderStatus next) {
        return next.rank > rank;
    }

    /** Whether this status is final: nothing moves an order out of it. */
    public boolean isFinal() {
        return rank == 100;
    }

    /** Whether the customer is entitled to what the order bought (their links should work). */
    public boolean entitles() {
        return this == PAID || this == FULFILLED || this == DISPUTE_WON;
    }

    public static Optional<OrderStatus> fromWireName(String name) {
        return Arrays.stream(values()).filter(s -> s.wireName.equals(name)).findFirst();
    }

    public static OrderStatus of(String name) {
        return fromWireName(name).orElseThrow(() -> new IllegalArgumentException("unknown order status " + name));
    }

    @Override
    public String toString() {
        return wireName;
    }
}
