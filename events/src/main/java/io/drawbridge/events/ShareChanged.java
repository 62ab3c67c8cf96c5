package io.drawbridge.events;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.UUID;

/**
 * A one-time share changed (file-service owns shares). Facts for audit and metrics only: never the link's token, the
 * password, the content or the file's name.
 *
 * @param kind {@code text} or {@code file}
 * @param size the plaintext size in bytes
 * @param readsLeft reads left after the change
 * @param guarded whether reading it needs a password as well as the link
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ShareChanged(
        UUID shareId, ShareChange change, String kind, long size, int readsLeft, boolean guarded, Instant at)
        implements Event {

    @Override
    public String key() {
        return shareId.toString();
    }
}
