package io.drawbridge.events;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A product's new version is available; token-service's catalog read model maps a sku to its current files.
 *
 * @param files file ids per platform: {@code windows}, {@code macos}, {@code linux} or {@code any}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ReleasePublished(
        String sku,
        String productName,
        UUID releaseId,
        String version,
        String notes,
        Map<String, List<UUID>> files,
        Instant publishedAt)
        implements Event {

    @Override
    public String key() {
        return sku;
    }
}
