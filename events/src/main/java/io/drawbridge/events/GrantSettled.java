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
        Instant settledAt)
        implements Event {

    @Override
    public String key() {
        return tokenId.toString();
    }
}
