package io.drawbridge.file.catalog.domain;

import io.drawbridge.events.Platform;
import io.drawbridge.file.files.domain.StoredFile;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * One published version of a product: per platform, one file or several delivered together. Releases are immutable
 * once published; a new version supersedes them as the product's current release.
 */
public record Release(
        UUID id,
        String sku,
        String version,
        String notes,
        Instant publishedAt,
        Map<Platform, List<StoredFile>> files) {}
