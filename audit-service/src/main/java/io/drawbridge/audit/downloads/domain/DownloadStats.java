package io.drawbridge.audit.downloads.domain;

import java.time.Instant;
import java.util.Map;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.annotation.JsonNaming;

/**
 * The seller's numbers over a period (by download start).
 *
 * @param totalDownloads completed downloads (as token-service settled them)
 * @param downloadsToday completed downloads started since 00:00 UTC today, whatever the period
 * @param uniqueCustomers distinct customer emails with a completed download (an erased customer still counts once)
 * @param platformBreakdown completed downloads per platform ({@code unknown} when none was recorded)
 * @param bytesServed bytes written to customers, failed responses included
 * @param failedDownloads downloads token-service released without delivering them in full (revoked ones not
 *     included)
 * @param deniedByReason refused requests per reason
 * @param from start of the period, null for the beginning of the log
 * @param to end of the period (exclusive), null for now
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record DownloadStats(
        long totalDownloads,
        long downloadsToday,
        long uniqueCustomers,
        Map<String, Long> platformBreakdown,
        long bytesServed,
        long failedDownloads,
        Map<String, Long> deniedByReason,
        Instant from,
        Instant to) {}
