package io.drawbridge.token.issue.domain;

import java.time.Instant;
import java.util.UUID;

/**
 * Where a link's email stands, and the link's place in a chain of re-sent links (a re-sent link is a new token:
 * the old plaintext is not stored, so it cannot be mailed again).
 *
 * @param attempts SMTP attempts made so far
 * @param error why the last attempt failed (a short code and message), null after a success
 * @param replaces the link this one was re-sent for
 * @param replacedBy the link re-sent in place of this one (which is then revoked)
 */
public record Delivery(
        DeliveryStatus status,
        int attempts,
        String error,
        Instant emailedAt,
        Instant failedAt,
        UUID replaces,
        UUID replacedBy) {

    /** A link handed out in an API response, never emailed. */
    public static final Delivery RESPONSE = new Delivery(DeliveryStatus.RESPONSE, 0, null, null, null, null, null);

    public Delivery {
        status = status == null ? DeliveryStatus.RESPONSE : status;
    }
}
