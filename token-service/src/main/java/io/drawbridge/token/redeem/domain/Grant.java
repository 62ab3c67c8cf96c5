package io.drawbridge.token.redeem.domain;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Permission to download a token's files for a short time. A grant reserves one use of its token while
 * {@code holdsUse}; the use becomes consumed when every item has been delivered, and goes back to the token when
 * a download fails or the grant expires undelivered. The gateway signs the grant id into the download URL.
 */
public record Grant(
        UUID id,
        UUID tokenId,
        UUID requestId,
        GrantStatus status,
        boolean holdsUse,
        String clientIp,
        String userAgent,
        String platform,
        String archiveName,
        Instant createdAt,
        Instant expiresAt,
        Instant settledAt,
        List<GrantItem> items) {

    public Grant {
        items = items == null ? List.of() : List.copyOf(items);
    }

    public long totalSize() {
        return items.stream().mapToLong(GrantItem::size).sum();
    }

    /** The status as callers see it: an active grant past its expiry is {@code EXPIRED}. */
    public GrantStatus statusAt(Instant now) {
        return status == GrantStatus.ACTIVE && !now.isBefore(expiresAt) ? GrantStatus.EXPIRED : status;
    }

    public boolean liveAt(Instant now) {
        return statusAt(now) == GrantStatus.ACTIVE;
    }
}
