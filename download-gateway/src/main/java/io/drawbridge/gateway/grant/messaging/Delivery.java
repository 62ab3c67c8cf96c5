package io.drawbridge.gateway.grant.messaging;

import io.drawbridge.events.ArchiveKind;
import io.drawbridge.gateway.grant.client.GrantClient;
import java.time.Instant;
import java.util.UUID;

/**
 * One download response about to be written: what it promises, to whom.
 *
 * @param fileId null for the ZIP of all items
 * @param promisedBytes bytes the response promises (Content-Length), or -1 when unknown (a ZIP streamed without a
 *     length)
 * @param totalSize size of the whole file; for a ZIP laid out up front its exact length, for a ZIP streamed without
 *     a length the sum of its items' sizes
 * @param archive how the ZIP of all items is served; null for a file
 * @param lease the byte lease the response sends under; null when it sends nothing
 */
public record Delivery(
        UUID grantId,
        UUID tokenId,
        UUID fileId,
        long rangeStart,
        long promisedBytes,
        long totalSize,
        String platform,
        String clientIp,
        String userAgent,
        Instant startedAt,
        long startedNanos,
        ArchiveKind archive,
        GrantClient.Lease lease) {

    /** The same response, holding {@code lease} (null when it sends nothing). */
    public Delivery leased(GrantClient.Lease lease) {
        return new Delivery(
                grantId,
                tokenId,
                fileId,
                rangeStart,
                promisedBytes,
                totalSize,
                platform,
                clientIp,
                userAgent,
                startedAt,
                startedNanos,
                archive,
                lease);
    }

    /** Low-cardinality kind for metrics. */
    String kind() {
        return fileId == null ? "zip" : rangeStart > 0 || promisedBytes < totalSize ? "range" : "file";
    }
}
