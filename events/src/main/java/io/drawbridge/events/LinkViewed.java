package io.drawbridge.events;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.UUID;

/**
 * Someone (or something: a mail scanner, a chat unfurler) fetched a link's landing page. It never uses a
 * download; it tells a seller's support whether the customer ever opened the link.
 *
 * @param method {@code GET} or {@code HEAD}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record LinkViewed(UUID tokenId, String method, String clientIp, String userAgent, Instant viewedAt)
        implements Event {

    @Override
    public String key() {
        return tokenId.toString();
    }
}
