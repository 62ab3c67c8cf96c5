package io.drawbridge.token.redeem.domain;

import io.drawbridge.token.catalog.domain.Resolution;
import java.time.Duration;
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

    /**
     * A new active grant holding one use: the client's request and the files resolved for it, as they are now (a later
     * release does not change what a grant delivers).
     */
    public static Grant issue(
            UUID tokenId,
            RedeemRequest request,
            String platform,
            Resolution.Resolved files,
            Instant now,
            Duration ttl) {
        return new Grant(
                UUID.randomUUID(),
                tokenId,
                request.requestId(),
                GrantStatus.ACTIVE,
                true,
                request.clientIp(),
                request.userAgent(),
                platform,
                files.archiveName(),
                now,
                now.plus(ttl),
                null,
                files.items().stream()
                        .map(item -> new GrantItem(
                                item.file().fileId(),
                                item.file().objectKey(),
                                item.file().name(),
                                item.file().size(),
                                item.file().sha256(),
                                item.file().contentType(),
                                item.platform(),
                                item.file().crc32()))
                        .toList());
    }

    public long totalSize() {
        return items.stream().mapToLong(GrantItem::size).sum();
    }

    /**
     * At most how many bytes one whole download of this grant is: the file for one item; for several, the ZIP the
     * gateway lays out, whose headers and central directory add a little to the items' total. Allowing
     * {@value #ARCHIVE_BYTES_PER_ITEM} bytes per entry (local header, central header, Zip64 extras and the entry
     * name twice, names being at most 200 characters) and {@value #ARCHIVE_BYTES_FIXED} for the end records keeps
     * the bound above the real archive whatever the names, without token-service knowing the ZIP format.
     */
    public long downloadSizeBound() {
        if (items.size() <= 1) {
            return totalSize();
        }
        return Math.addExact(totalSize(), ARCHIVE_BYTES_PER_ITEM * items.size() + ARCHIVE_BYTES_FIXED);
    }

    /** Upper bound of a ZIP entry's bytes besides the file's own: 30 + 46 + 2 × 816 (name) + 20 + 28 ≤ 2048. */
    static final long ARCHIVE_BYTES_PER_ITEM = 2048;

    /** Upper bound of the end of a ZIP: end of central directory (22), Zip64 end record (56) and locator (20). */
    static final long ARCHIVE_BYTES_FIXED = 128;

    /** The status as callers see it: an active grant past its expiry is {@code EXPIRED}. */
    public GrantStatus statusAt(Instant now) {
        return status == GrantStatus.ACTIVE && !now.isBefore(expiresAt) ? GrantStatus.EXPIRED : status;
    }

    public boolean liveAt(Instant now) {
        return statusAt(now) == GrantStatus.ACTIVE;
    }
}
