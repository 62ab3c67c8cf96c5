package io.drawbridge.events;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.UUID;

/**
 * One HTTP response of the gateway delivered every byte it promised (a whole file or one range). token-service
 * adds the range to the grant's delivered bytes and consumes the reserved use once everything is covered.
 *
 * @param fileId the file delivered, or null for the ZIP of all the grant's items
 * @param rangeStart first byte offset of the response (0 without a Range header)
 * @param bytesSent bytes written in this response
 * @param totalSize size of the whole file (or ZIP)
 * @param archive for the ZIP of all items ({@code fileId} null), how it was served; null for a file
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record DownloadCompleted(
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
        ArchiveKind archive)
        implements Event {

    /** A response of a single file (no archive). */
    public DownloadCompleted(
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
            Instant completedAt) {
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
                null);
    }

    @Override
    public String key() {
        return tokenId.toString();
    }
}
