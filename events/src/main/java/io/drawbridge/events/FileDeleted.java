package io.drawbridge.events;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.UUID;

/** A file is gone from object storage; grants that reference it can no longer be served. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record FileDeleted(UUID fileId, String objectKey, Instant deletedAt) implements Event {

    @Override
    public String key() {
        return fileId.toString();
    }
}
