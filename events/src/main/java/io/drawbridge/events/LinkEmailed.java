package io.drawbridge.events;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.UUID;

/**
 * The email carrying a link was accepted by the mail server. Support answers "I never got my file" from it; the
 * link itself is not in it.
 *
 * @param orderId null for links issued by hand
 * @param attempt 1 for the first try; more when sending had to be retried
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record LinkEmailed(UUID tokenId, String orderId, String customerEmail, int attempt, Instant emailedAt)
        implements Event {

    @Override
    public String key() {
        return tokenId.toString();
    }
}
