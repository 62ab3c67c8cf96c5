package io.drawbridge.token.redeem.domain;

import java.time.Instant;
import java.util.UUID;
import reactor.core.publisher.Mono;

/** The answers given to download requests, keyed by request id. */
public interface RedemptionLog {

    /** Stores the answer unless one exists for the request id; false when one did (the caller rolls back). */
    Mono<Boolean> save(StoredAnswer answer);

    Mono<StoredAnswer> find(UUID requestId);

    /** Forgets answers older than {@code cutoff}; how many. */
    Mono<Long> forgetBefore(Instant cutoff);
}
