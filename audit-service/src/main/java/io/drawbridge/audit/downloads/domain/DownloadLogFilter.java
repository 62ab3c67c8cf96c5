package io.drawbridge.audit.downloads.domain;

import java.time.Instant;
import java.util.UUID;

/**
 * Which download log rows to return; null fields do not filter.
 *
 * @param email the customer's email, matched case-insensitively
 * @param from rows started at or after
 * @param to rows started before
 */
public record DownloadLogFilter(
        String email, String orderId, UUID tokenId, DownloadOutcome outcome, Instant from, Instant to) {}
