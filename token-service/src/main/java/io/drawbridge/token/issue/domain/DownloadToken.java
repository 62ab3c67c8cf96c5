package io.drawbridge.token.issue.domain;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A download link as stored: who it is for, what it delivers (a product's current release or explicit files),
 * and its uses. {@code consumed} counts finished downloads, {@code reserved} the grants still in flight; a
 * new grant needs {@code consumed + reserved < maxDownloads}.
 */
public record DownloadToken(
        UUID id,
        String tokenHash,
        String customerEmail,
        String orderId,
        String orderLineId,
        String productSku,
        List<UUID> fileIds,
        String platform,
        boolean requireEmail,
        String note,
        int maxDownloads,
        int consumed,
        int reserved,
        long bytesDelivered,
        Instant issuedAt,
        Instant expiresAt,
        Instant revokedAt,
        String revokeReason,
        Instant exhaustedAt) {

    public DownloadToken {
        fileIds = fileIds == null ? List.of() : List.copyOf(fileIds);
    }

    public TokenStatus status(Instant now) {
        if (revokedAt != null) {
            return TokenStatus.REVOKED;
        }
        if (consumed >= maxDownloads) {
            return TokenStatus.EXHAUSTED;
        }
        if (!now.isBefore(expiresAt)) {
            return TokenStatus.EXPIRED;
        }
        return TokenStatus.ACTIVE;
    }

    /** Uses neither consumed nor reserved by a grant in flight. */
    public int remaining() {
        return Math.max(0, maxDownloads - consumed - reserved);
    }

    public boolean forProduct() {
        return productSku != null;
    }
}
