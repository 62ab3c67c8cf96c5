package io.drawbridge.audit.downloads.domain;

import java.time.Instant;
import java.util.UUID;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.annotation.JsonNaming;

/**
 * One line of the download log, in the shape a seller needs to answer "did this customer get the file?".
 *
 * @param id the grant id for a granted download, the request id otherwise
 * @param fileName the file, or the ZIP's name for several files
 * @param fileSize bytes of the file (or ZIP) as delivered
 * @param startedAt when the customer asked for the download
 * @param completedAt when the last response ended (null before any response, and for denials)
 * @param bytesDelivered bytes written to the customer over every response (resumes included)
 * @param outcome pending (no reply yet), in_progress (granted, not settled by token-service yet), completed, failed
 *     (released by token-service: not delivered in full), revoked, or denied; see {@link DownloadOutcome}
 * @param reason why it was denied, or why its last failed response failed (none once completed)
 * @param durationMs from started to completed
 * @param responses gateway responses reported (a resumed download has several)
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record DownloadLogEntry(
        UUID id,
        UUID requestId,
        UUID grantId,
        UUID tokenId,
        String orderId,
        String customerEmail,
        String platform,
        String fileName,
        Long fileSize,
        String clientIp,
        String userAgent,
        Instant startedAt,
        Instant completedAt,
        long bytesDelivered,
        String outcome,
        String reason,
        Long durationMs,
        int responses) {}
