package io.drawbridge.events;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.UUID;

/**
 * The last use of a link was consumed; storefronts may offer a new one.
 *
 * @param orderId null for links issued by hand
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record TokenExhausted(UUID tokenId, String orderId, int downloadsConsumed, Instant exhaustedAt)
        implements Event {

    @Override
    public String key() {
        return tokenId.toString();
    }
}
