package io.drawbridge.token.delivery.domain;

import io.drawbridge.token.config.TokenProperties;
import io.drawbridge.token.issue.domain.TokenHistory;
import io.drawbridge.token.issue.domain.TokenLedger;
import io.drawbridge.token.redeem.domain.GrantBook;
import io.drawbridge.token.redeem.domain.RedemptionLog;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Mono;

/**
 * Gives back the uses of grants that expired without full delivery (the customer never came back, or the
 * gateway's report was lost), and forgets old request answers. Safe to run on every instance at once: each
 * release is a conditional update that only one of them wins.
 */
@Service
public class GrantSweep {

    static final int BATCH = 500;

    private final GrantBook grants;
    private final TokenLedger tokens;
    private final TokenHistory history;
    private final RedemptionLog answers;
    private final TransactionalOperator tx;
    private final TokenProperties properties;
    private final Clock clock;
    private final MeterRegistry meters;

    GrantSweep(
            GrantBook grants,
            TokenLedger tokens,
            TokenHistory history,
            RedemptionLog answers,
            TransactionalOperator tx,
            TokenProperties properties,
            Clock clock,
            MeterRegistry meters) {
        this.grants = grants;
        this.tokens = tokens;
        this.history = history;
        this.answers = answers;
        this.tx = tx;
        this.properties = properties;
        this.clock = clock;
        this.meters = meters;
    }

    /** One pass; how many grants were released. */
    public Mono<Integer> run() {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        return grants.expiredBefore(now, BATCH)
                .concatMap(grantId ->
                        tx.transactional(grants.releaseExpired(grantId, now).flatMap(released -> (released.heldUse()
                                        ? tokens.releaseReserved(released.tokenId(), 1)
                                        : Mono.<Void>empty())
                                .then(history.record(
                                        released.tokenId(),
                                        "grant_released",
                                        released.grantId(),
                                        "expired before full delivery",
                                        now))
                                .thenReturn(1))))
                .reduce(0, Integer::sum)
                .doOnNext(count -> meters.counter("drawbridge.grants.settled", "outcome", "released")
                        .increment(count))
                .flatMap(count -> answers.forgetBefore(now.minus(properties.redemptionRetention()))
                        .thenReturn(count));
    }
}
