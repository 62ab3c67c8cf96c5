package io.drawbridge.events;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.UUID;

/**
 * A grant reached its end, as token-service decided from the bytes the gateway reserved and reported sending:
 * consumers record this outcome instead of working it out again from the gateway's responses. Published through
 * token-service's outbox, once per grant.
 *
 * @param bytesSent bytes the grant's responses put on the wire in all (a resume's overlap counted again); null for a
 *     revoked grant
 * @param downloadSize bytes of one whole download of the grant: the file, or the ZIP as served; null when nothing was
 *     served or the grant was revoked
 * @param archive how a grant of several items was served as a ZIP; null for a single file or when nothing was sent
 * @param orderId the link's order; null for links issued by hand (optional, added in v1)
 * @param downloadsConsumed for a completed grant that consumed a use: the link's consumed downloads counting this one
 *     ({@code 1}: the link's first download), as token-service counted them; null otherwise (optional, added in v1)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record GrantSettled(
        UUID grantId,
        UUID tokenId,
        GrantOutcome outcome,
        Long bytesSent,
        Long downloadSize,
        ArchiveKind archive,
        Instant settledAt,
        String orderId,
        Integer downloadsConsumed)
        implements Event {

    /** A GrantSettled without the order and the count, as the first v1 producers wrote it. */
    public GrantSettled(
            UUID grantId,
            UUID tokenId,
            GrantOutcome outcome,
            Long bytesSent,
            Long downloadSize,
            ArchiveKind archive,
            Instant settledAt) {
        this(grantId, tokenId, outcome, bytesSent, downloadSize, archive, settledAt, null, null);
    }

    @Override
    public String key() {
        return tokenId.toString();
    }
}
