package io.drawbridge.events;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.UUID;

/**
 * A link stopped working before its time (refund, dispute, admin).
 *
 * @param orderId null for links issued by hand
 * @param reason a machine code such as {@code refunded}, {@code disputed} or {@code admin}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record TokenRevoked(UUID tokenId, String orderId, String reason, Instant revokedAt) implements Event {

    @Override
    public String key() {
        return tokenId.toString();
    }
}
