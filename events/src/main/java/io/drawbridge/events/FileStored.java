package io.drawbridge.events;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.UUID;

/**
 * A file is complete in object storage, with checksums computed while it streamed in, so others can reference it.
 *
 * @param scanStatus {@code not_scanned} (no malware scanner configured) or {@code clean}; infected files are
 *     quarantined and never published
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record FileStored(
        UUID fileId,
        String objectKey,
        String name,
        long size,
        String sha256,
        String crc32,
        String contentType,
        String scanStatus,
        Instant storedAt)
        implements Event {

    @Override
    public String key() {
        return fileId.toString();
    }
}
