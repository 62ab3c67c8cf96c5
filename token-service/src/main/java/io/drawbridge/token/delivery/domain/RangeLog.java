package io.drawbridge.token.delivery.domain;

import java.time.Instant;
import java.util.UUID;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** The byte ranges delivered per grant. */
public interface RangeLog {

    Mono<Void> record(UUID grantId, DeliveredRange range, Instant at);

    Flux<DeliveredRange> of(UUID grantId);

    /** Bytes delivered per grant of the given token's grants, summed: for the token view. */
    Mono<Long> bytesOfGrant(UUID grantId);
}
