package io.drawbridge.token.catalog.domain;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * One published release of a product: the files per platform ({@code windows|macos|linux|any} → file ids). A
 * product's current release is the one published last, so a link issued for a product delivers updates.
 */
public record Release(
        String sku,
        String productName,
        UUID releaseId,
        String version,
        String notes,
        Map<String, List<UUID>> files,
        Instant publishedAt) {

    public Release {
        files = files == null ? Map.of() : Map.copyOf(files);
    }
}
