package io.drawbridge.token.issue.domain;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A download link as stored: who it is for, what it delivers (a product's current release or explicit files),
 * and its uses. {@code consumed} counts finished downloads, {@code reserved} the grants still in flight; a
 * new grant needs {@code consumed + reserved < maxDownloads}. {@code source} is {@code admin}, {@code bulk} or
 * {@code order} (issued for a paid order line).
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
        Instant exhaustedAt,
        String source,
        Delivery delivery) {

    public DownloadToken {
        fileIds = fileIds == null ? List.of() : List.copyOf(fileIds);
        source = source == null ? "admin" : source;
        delivery = delivery == null ? Delivery.RESPONSE : delivery;
    }

    /** A link issued by an admin and handed out in the response. */
    public DownloadToken(
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
        this(
                id,
                tokenHash,
                customerEmail,
                orderId,
                orderLineId,
                productSku,
                fileIds,
                platform,
                requireEmail,
                note,
                maxDownloads,
                consumed,
                reserved,
                bytesDelivered,
                issuedAt,
                expiresAt,
                revokedAt,
                revokeReason,
                exhaustedAt,
                "admin",
                Delivery.RESPONSE);
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
