package io.drawbridge.events;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.UUID;

/**
 * token-service refused a request; the gateway shows the reason.
 *
 * @param tokenId null when the token does not exist
 * @param reason one of {@link DenialReasons}
 * @param detail a human sentence, optional; never contains the token
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record DownloadDenied(UUID requestId, UUID tokenId, String reason, String detail) implements Event {

    @Override
    public String key() {
        return requestId.toString();
    }
}
