package io.drawbridge.token.delivery.domain;

import io.drawbridge.token.config.TokenProperties;
import io.drawbridge.token.redeem.domain.GrantBook;
import io.drawbridge.token.redeem.domain.RedemptionLog;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

/**
 * Settles grants past their expiry (the customer never came back, or a gateway vanished mid-stream) by what they
 * leased, and forgets old request answers. Safe to run on every instance at once: each grant is settled under its
 * lock, and only once.
 */
@Service
public class GrantSweep {

    static final int BATCH = 500;

    private final GrantBook grants;
    private final DeliveryLedger ledger;
    private final RedemptionLog answers;
    private final TokenProperties properties;
    private final Clock clock;

    GrantSweep(
            GrantBook grants, DeliveryLedger ledger, RedemptionLog answers, TokenProperties properties, Clock clock) {
        this.grants = grants;
        this.ledger = ledger;
        this.answers = answers;
        this.properties = properties;
        this.clock = clock;
    }

    /** One pass; how many grants were settled. */
    public Mono<Integer> run() {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        return grants.expiredBefore(now, BATCH)
                .concatMap(ledger::expire)
                .filter(settled -> settled)
                .count()
                .map(Long::intValue)
                .flatMap(count -> answers.forgetBefore(now.minus(properties.redemptionRetention()))
                        .thenReturn(count));
    }
}
