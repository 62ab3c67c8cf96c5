package io.drawbridge.token.catalog.domain;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
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
        Map<String, List<UUID>> clean = new LinkedHashMap<>();
        if (files != null) {
            files.forEach((platform, ids) -> {
                if (platform != null && ids != null) {
                    clean.put(platform, ids.stream().filter(Objects::nonNull).toList());
                }
            });
        }
        files = Collections.unmodifiableMap(clean);
    }
}
