package io.drawbridge.gateway.grant.messaging;

import java.time.Instant;
import java.util.UUID;

/**
 * One download response about to be written: what it promises, to whom.
 *
 * @param fileId null for the ZIP of all items
 * @param promisedBytes bytes the response promises (Content-Length), or -1 when unknown (a ZIP streamed without a
 *     length)
 * @param totalSize size of the whole file; for a ZIP laid out up front its exact length (always more than its items'
 *     total), for a ZIP streamed without a length the sum of its items' sizes (how token-service tells them apart)
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
        long startedNanos) {

    /** Low-cardinality kind for metrics. */
    String kind() {
        return fileId == null ? "zip" : rangeStart > 0 || promisedBytes < totalSize ? "range" : "file";
    }
}
