package io.drawbridge.events;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.UUID;

/**
 * One file a grant lets the customer download, with what the gateway needs to stream it without asking the
 * file-service.
 *
 * @param platform the item's platform, or null when it is not platform-specific
 * @param crc32 lowercase hex CRC-32 (8 digits) of the file, as file-service computed it at upload
 *     ({@link FileStored#crc32()}); lets the gateway lay out a ZIP of several items before reading them, and so
 *     serve it with a length and byte ranges. Optional: null for items granted before it was carried
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record GrantedItem(
        UUID fileId,
        String objectKey,
        String name,
        long size,
        String sha256,
        String contentType,
        String platform,
        String crc32) {

    /** A GrantedItem without the CRC-32, as the first v1 producers wrote it. */
    public GrantedItem(
            UUID fileId, String objectKey, String name, long size, String sha256, String contentType, String platform) {
        this(fileId, objectKey, name, size, sha256, contentType, platform, null);
    }
}
