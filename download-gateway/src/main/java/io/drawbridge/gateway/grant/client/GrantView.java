package io.drawbridge.gateway.grant.client;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.drawbridge.events.GrantedItem;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * token-service's current view of a grant ({@code GET /internal/v1/grants/{grantId}}): the gateway trusts its own
 * signature for who may ask, and this for whether the grant still holds.
 *
 * @param status active, completed, released, revoked or expired
 * @param holdsUse whether the grant holds one of the token's uses; false after an interrupted download gave it back
 *     (the gateway then has it take one again before serving it); null from a token-service that does not say
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

    /** An active grant whose use was given back: serving it again must take a use first. */
    public boolean gaveUseBack() {
        return "active".equals(status) && Boolean.FALSE.equals(holdsUse);
    }
}
