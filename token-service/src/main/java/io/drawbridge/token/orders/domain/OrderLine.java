package io.drawbridge.token.orders.domain;

import java.time.Instant;
import java.util.Locale;
import java.util.UUID;

/**
 * A line of an order and where its link stands. {@code tokenId} is the line's current link (a re-send replaces
 * it). {@code lastError} ({@code unknown_product}...) says why the last try to issue it failed; it is tried again at
 * {@code issueAfter}.
 */
public record OrderLine(
        String lineId,
        String sku,
        int quantity,
        State state,
        UUID tokenId,
        Instant issueAfter,
        int attempts,
        String lastError,
        String lastErrorDetail,
        Instant lastAttemptAt,
        Instant issuedAt) {

    /**
     * {@code WAITING}: the order is not paid (yet). {@code PENDING}: to be issued at {@code issueAfter}. {@code
     * ISSUED}: has its link. {@code CANCELED}: the order was revoked before the line was issued.
     */
    public enum State {
        WAITING,
        PENDING,
        ISSUED,
        CANCELED;

        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static State of(String wire) {
            return valueOf(wire.toUpperCase(Locale.ROOT));
        }
    }

    /** Whether a link may still be issued for this line. */
    public boolean open() {
        return state == State.WAITING || state == State.PENDING;
    }
}
