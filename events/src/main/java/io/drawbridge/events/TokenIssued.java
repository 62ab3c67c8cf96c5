package io.drawbridge.events;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A download link was created. Carries the token's id only: the plaintext exists in the issuing response and
 * the email, nowhere else.
 *
 * @param orderId null for links issued by hand
 * @param orderLineId null for links issued by hand
 * @param productSku null when files were chosen directly
 * @param platform null when every platform's files are included
 * @param note free text from the admin, optional
 * @param tokenHash hex SHA-256 of the token (never the token), so that events that know only the hash, such as
 *     DownloadRequested for a link that was later denied, can be tied to the link; optional
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record TokenIssued(
        UUID tokenId,
        String orderId,
        String orderLineId,
        String customerEmail,
        String productSku,
        List<UUID> fileIds,
        String platform,
        int maxDownloads,
        Instant expiresAt,
        Instant issuedAt,
        String note,
        String tokenHash)
        implements Event {

    /** A TokenIssued without the token hash, as the first v1 producers wrote it. */
    public TokenIssued(
            UUID tokenId,
            String orderId,
            String orderLineId,
            String customerEmail,
            String productSku,
            List<UUID> fileIds,
            String platform,
            int maxDownloads,
            Instant expiresAt,
            Instant issuedAt,
            String note) {
        this(
                tokenId,
                orderId,
                orderLineId,
                customerEmail,
                productSku,
                fileIds,
                platform,
                maxDownloads,
                expiresAt,
                issuedAt,
                note,
                null);
    }

    @Override
    public String key() {
        return tokenId.toString();
    }
}
