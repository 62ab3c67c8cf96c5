package io.drawbridge.events;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.UUID;

/**
 * A gateway response ended before delivering every promised byte, so the reserved use must not be burnt for it.
 * Same fields as {@link DownloadCompleted} plus why it ended.
 *
 * @param bytesSent bytes actually written before the response ended
 * @param reason a machine code such as {@code client_aborted} or {@code storage_error}
 * @param archive for the ZIP of all items ({@code fileId} null), how it was served; null for a file
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record DownloadFailed(
        UUID grantId,
        UUID tokenId,
        UUID fileId,
        long rangeStart,
        long bytesSent,
        long totalSize,
        String platform,
        String clientIp,
        String userAgent,
        Instant startedAt,
        Instant completedAt,
        String reason,
        ArchiveKind archive)
        implements Event {

    /** A response of a single file (no archive). */
    public DownloadFailed(
            UUID grantId,
            UUID tokenId,
            UUID fileId,
            long rangeStart,
            long bytesSent,
            long totalSize,
            String platform,
            String clientIp,
            String userAgent,
            Instant startedAt,
            Instant completedAt,
            String reason) {
        this(
                grantId,
                tokenId,
                fileId,
                rangeStart,
                bytesSent,
                totalSize,
                platform,
                clientIp,
                userAgent,
                startedAt,
                completedAt,
                reason,
                null);
    }

    @Override
    public String key() {
        return tokenId.toString();
    }
}
