package io.drawbridge.events;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * token-service reserved one use of a link for a request: the reply the gateway turns into a signed grant URL.
 *
 * @param archiveName the ZIP's file name when there are several items; null for a single file
 * @param reused true when a live grant of the same token and client was returned instead of reserving a use
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record DownloadGranted(
        UUID requestId,
        UUID tokenId,
        UUID grantId,
        List<GrantedItem> items,
        Instant expiresAt,
        int downloadsRemaining,
        String archiveName,
        boolean reused)
        implements Event {

    @Override
    public String key() {
        return requestId.toString();
    }
}
