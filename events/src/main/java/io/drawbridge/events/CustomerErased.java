package io.drawbridge.events;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * One service's answer to a {@link CustomerErasureRequested}: what it erased, as row counts per kind of record (for
 * example {@code links}, {@code grant_client_details}, {@code webhook_payloads}). A repeated request answers again,
 * with zeros for what was already gone.
 *
 * @param service the answering service's name ({@code token-service}, {@code order-sync-service}, {@code
 *     audit-service})
 * @param erased rows changed, per kind of record, in the service's own words
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record CustomerErased(UUID erasureId, String service, Map<String, Long> erased, Instant erasedAt)
        implements Event {

    public CustomerErased {
        erased = Collections.unmodifiableMap(erased == null ? new TreeMap<>() : new TreeMap<>(erased));
    }

    /** With the request it answers. */
    @Override
    public String key() {
        return erasureId.toString();
    }
}
