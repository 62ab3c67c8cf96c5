package io.drawbridge.gateway.grant.client;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.drawbridge.events.GrantedItem;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * token-service's current view of a grant ({@code GET /internal/v1/grants/{grantId}}): the gateway trusts its own
 * signature for who may ask, this for what the grant covers, and the byte lease of each response for what it may
 * send.
 *
 * @param status active, completed, released, revoked or expired
 * @param holdsUse whether the grant holds one of the token's uses; false after an interrupted download gave it back
 *     (its next lease takes one again)
 * @param bytesDelivered bytes of this token delivered so far, all grants together
 * @param byteBudget bytes the token may ever deliver; 0 or less means no budget was given
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record GrantView(
        UUID grantId,
        UUID tokenId,
        String status,
        Boolean holdsUse,
        Instant expiresAt,
        List<GrantedItem> items,
        String archiveName,
        long bytesDelivered,
        long byteBudget) {

    public GrantView {
        items = items == null ? List.of() : List.copyOf(items);
    }
}
