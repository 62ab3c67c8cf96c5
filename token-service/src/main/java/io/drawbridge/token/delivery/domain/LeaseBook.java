package io.drawbridge.token.delivery.domain;

import java.time.Instant;
import java.util.UUID;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Where byte leases are kept. Callers hold the grant's lock (see {@link DeliveryLedger}) while they change them. */
public interface LeaseBook {

    Mono<Void> insert(ByteLease lease);

    Mono<ByteLease> find(UUID leaseId);

    /** Every lease of the grant, oldest first. */
    Flux<ByteLease> ofGrant(UUID grantId);

    Mono<Void> extend(UUID leaseId, long leasedEnd, Instant expiresAt);

    /** Ends a running lease with what was sent; false when it had ended already. */
    Mono<Boolean> end(UUID leaseId, long sentEnd, Instant at);
}
