package io.drawbridge.events;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.UUID;

/**
 * A customer asked the gateway to redeem a link. Carries only the token's SHA-256, never the token, and is keyed
 * by it so every request for one token is decided on one partition, one at a time.
 *
 * @param platform the requested platform (windows, macos, linux) or null for all
 * @param email the email the customer typed, when the link requires one; null otherwise
 * @param gatewayId the gateway instance waiting for the reply
 * @param answerBy when the gateway stops waiting for the reply (and has told the customer to try again): a request
 *     still undecided then is dropped, not decided, so that it cannot reserve a use nobody is told about; null from a
 *     gateway that does not say
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record DownloadRequested(
        UUID requestId,
        String tokenHash,
        String platform,
        String email,
        String clientIp,
        String userAgent,
        String gatewayId,
        Instant requestedAt,
        Instant answerBy)
        implements Event {

    @Override
    public String key() {
        return tokenHash;
    }
}
