package io.drawbridge.token.catalog.domain;

import java.time.Instant;
import java.util.Locale;
import java.util.UUID;

/**
 * A stored file as file-service announced it. Deleted or infected files stay in the read model (so that old
 * grants still show what they were) but are never handed out again.
 *
 * @param crc32 lowercase hex CRC-32 from FileStored; null for files announced before it was kept
 */
public record CatalogFile(
        UUID fileId,
        String objectKey,
        String name,
        long size,
        String sha256,
        String contentType,
        String scanStatus,
        Instant storedAt,
        Instant deletedAt,
        String crc32) {

    /** Whether a new grant may include this file. */
    public boolean deliverable() {
        return deletedAt == null
                && (scanStatus == null || !scanStatus.toLowerCase(Locale.ROOT).equals("infected"));
    }
}
