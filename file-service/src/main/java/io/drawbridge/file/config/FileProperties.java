package io.drawbridge.file.config;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Limits and tuning of file-service ({@code drawbridge.file.*}), so that operators can change what sellers may
 * upload without a release.
 *
 * @param maxSize largest file accepted, through the API or a direct upload
 * @param allowedExtensions file name extensions accepted (without dot, case-insensitive); empty = all
 * @param allowedContentTypes content types accepted (e.g. {@code application/zip}, {@code image/*}); empty = all
 * @param partSize size of the parts a streamed upload is cut into (S3 needs at least 5 MiB)
 * @param partsInFlight parts uploaded to S3 concurrently; memory used by one upload is about
 *     (partsInFlight + 2) × partSize
 * @param presignTtl how long a direct upload's presigned URLs stay valid
 * @param directMultipartThreshold direct uploads larger than this get one presigned URL per part
 * @param directPartSize part size of multipart direct uploads
 * @param uploadCleanupGrace how long after its URLs expired an unfinished direct upload is removed
 * @param orphanMultipartAge multipart uploads older than this that belong to nothing are aborted
 * @param cleanupInterval how often unfinished uploads are looked for
 * @param clamd the malware scanner; scanning is on when {@code host} is set
 * @param serveUnscanned without a scanner, make files available unscanned ({@code not_scanned}); false (the default)
 *     makes a file-service without a scanner refuse to start
 * @param refusedDrainSize how much of a refused upload's body is still read and dropped before the refusal is
 *     answered, so that a client still sending (a chunked body over {@code maxSize}) gets the answer, not a
 *     connection reset; a larger rest is abandoned and the connection closed
 * @param refusedDrainTime the same bound in time, from the refusal
 */
@Validated
@ConfigurationProperties("drawbridge.file")
public record FileProperties(
        @DefaultValue("5GB") @NotNull DataSize maxSize,
        @DefaultValue List<String> allowedExtensions,
        @DefaultValue List<String> allowedContentTypes,
        @DefaultValue("8MB") @NotNull DataSize partSize,
        @DefaultValue("2") @Min(1) int partsInFlight,
        @DefaultValue("15m") @NotNull Duration presignTtl,
        @DefaultValue("1GB") @NotNull DataSize directMultipartThreshold,
        @DefaultValue("64MB") @NotNull DataSize directPartSize,
        @DefaultValue("1h") @NotNull Duration uploadCleanupGrace,
        @DefaultValue("24h") @NotNull Duration orphanMultipartAge,
        @DefaultValue("1m") @NotNull Duration cleanupInterval,
        @DefaultValue Clamd clamd,
        @DefaultValue("false") boolean serveUnscanned,
        @DefaultValue("256MB") @NotNull DataSize refusedDrainSize,
        @DefaultValue("30s") @NotNull Duration refusedDrainTime) {

    /** S3 refuses parts below 5 MiB (except the last). */
    static final long MIN_PART_SIZE = 5L * 1024 * 1024;

    public FileProperties {
        if (partSize.toBytes() < MIN_PART_SIZE || directPartSize.toBytes() < MIN_PART_SIZE) {
            throw new IllegalArgumentException("drawbridge.file.part-size and direct-part-size must be at least 5MB");
        }
        if (partSize.toBytes() > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("drawbridge.file.part-size must be below 2GB");
        }
        allowedExtensions = allowedExtensions == null ? List.of() : List.copyOf(allowedExtensions);
        allowedContentTypes = allowedContentTypes == null ? List.of() : List.copyOf(allowedContentTypes);
    }

    /**
     * Where clamd listens; scanning is off while {@code host} is blank.
     *
     * @param host clamd's host (TCP), e.g. {@code 127.0.0.1}
     * @param port clamd's TCP port
     * @param timeout longest wait for clamd to answer once the whole file was sent
     * @param chunkSize size of the INSTREAM chunks sent to clamd
     */
    public record Clamd(
            String host,
            @DefaultValue("3310") int port,
            @DefaultValue("10m") Duration timeout,
            @DefaultValue("1MB") DataSize chunkSize) {

        public boolean enabled() {
            return host != null && !host.isBlank();
        }
    }
}
