package io.drawbridge.token.redeem.domain;

import java.time.Instant;
import java.util.Collection;
import java.util.UUID;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Where grants are kept. State changes are conditional statements that report whether they happened, so a
 * use is given back or consumed at most once however often an event is delivered.
 */
public interface GrantBook {

    Mono<Void> insert(Grant grant);

    Mono<Grant> findById(UUID grantId);

    /** The grant, locked for the caller's transaction (its leases change under this lock only). */
    Mono<Grant> lock(UUID grantId);

    /** The token's grants, oldest first. */
    Flux<Grant> findByToken(UUID tokenId);

    /** The live grant of the token for this client and platform, if any. */
    Mono<Grant> findLive(UUID tokenId, String clientIp, String userAgent, String platform, Instant now);

    /**
     * The live grants of these clients (token, client address, user agent, platform), with their items, in one
     * look-up; a client may have several (the newest is the one to reuse).
     */
    Flux<Grant> findLive(Collection<Client> clients, Instant now);

    /** Who a live grant is for: a token, a client and the platform chosen (null for none). */
    record Client(UUID tokenId, String clientIp, String userAgent, String platform) {

        /** A missing address or user agent is stored, and so matched, as an empty one. */
        public Client {
            clientIp = clientIp == null ? "" : clientIp;
            userAgent = userAgent == null ? "" : userAgent;
        }
    }

    /** Makes a live grant that gave its use back hold one again; false when it is no longer live. */
    Mono<Boolean> retakeUse(UUID grantId, Instant now);

    /** Gives the grant's use back (a failed download); true when it held one. */
    Mono<Boolean> dropUse(UUID grantId);

    /**
     * Marks an active or released grant completed; whether it held a use, or empty when it was completed or
     * revoked already.
     */
    Mono<Boolean> complete(UUID grantId, Instant at);

    /** Ids of active grants past their expiry. */
    Flux<UUID> expiredBefore(Instant now, int limit);

    /** Releases one expired active grant; what it held, or empty when another sweep got there first. */
    Mono<Released> releaseExpired(UUID grantId, Instant now);

    /** Revokes the token's active grants: each, and whether it held a use. */
    Flux<Released> revokeLive(UUID tokenId, Instant at);

    /** A grant that was released or revoked, and whether it held a use then. */
    record Released(UUID grantId, UUID tokenId, boolean heldUse) {}
}
