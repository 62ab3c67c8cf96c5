package io.drawbridge.events;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.UUID;

/**
 * One file a grant lets the customer download, with what the gateway needs to stream it without asking the
 * file-service.
 *
 * @param platform the item's platform, or null when it is not platform-specific
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record GrantedItem(
        UUID fileId, String objectKey, String name, long size, String sha256, String contentType, String platform) {}
