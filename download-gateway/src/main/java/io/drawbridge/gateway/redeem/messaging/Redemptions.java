package io.drawbridge.gateway.redeem.messaging;

import io.drawbridge.events.DownloadDenied;
import io.drawbridge.events.DownloadGranted;
import io.drawbridge.events.DownloadRequested;
import io.drawbridge.events.Event;
import io.drawbridge.gateway.config.GatewayInstance;
import io.drawbridge.gateway.config.GatewayProperties;
import io.drawbridge.gateway.grant.client.GrantClient;
import io.drawbridge.gateway.redeem.domain.RedeemRequest;
import io.drawbridge.gateway.web.DownloadRefused;
import io.drawbridge.gateway.web.PublicError;
import io.drawbridge.platform.kafka.EventPublisher;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.reactor.circuitbreaker.operator.CircuitBreakerOperator;
import io.github.resilience4j.reactor.timelimiter.TimeLimiterOperator;
import io.github.resilience4j.timelimiter.TimeLimiter;
import io.github.resilience4j.timelimiter.TimeLimiterRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Redeems a link by asking token-service over Kafka: publishes DownloadRequested keyed by the token hash and
 * waits, bounded, for the reply with the same requestId. token-service decides (one partition per token, one
 * request at a time); the gateway only turns the answer into a grant or a refusal. A timeout means "we do not
 * know", answered 503 so the customer retries; token-service releases a use reserved for a reply nobody read
 * when its grant expires.
 */
@Component
public class Redemptions {

    private static final Logger log = LoggerFactory.getLogger(Redemptions.class);

    private final EventPublisher publisher;
    private final GrantClient grants;
    private final PendingRedemptions pending;
    private final GatewayInstance instance;
    private final Clock clock;
    private final Duration timeout;
    private final Duration retryAfter;
    private final CircuitBreaker circuitBreaker;
    private final TimeLimiter timeLimiter;
    private final MeterRegistry meters;

    Redemptions(
            EventPublisher publisher,
            GrantClient grants,
            PendingRedemptions pending,
            GatewayInstance instance,
            Clock clock,
            GatewayProperties properties,
            CircuitBreakerRegistry circuitBreakers,
            TimeLimiterRegistry timeLimiters,
            MeterRegistry meters) {
        this.publisher = publisher;
        this.grants = grants;
        this.pending = pending;
        this.instance = instance;
        this.clock = clock;
        this.timeout = properties.redeemTimeout();
        this.retryAfter = properties.retryAfter();
        this.circuitBreaker = circuitBreakers.circuitBreaker("token-service-redeem");
        this.timeLimiter = timeLimiters.timeLimiter("token-service-redeem");
        this.meters = meters;
    }

    /** The grant, or a {@link DownloadRefused} error with token-service's reason or its unavailability. */
    public Mono<DownloadGranted> redeem(RedeemRequest request) {
        return Mono.defer(() -> {
            Timer.Sample sample = Timer.start(meters);
            return roundTrip(request)
                    .transformDeferred(TimeLimiterOperator.of(timeLimiter))
                    .transformDeferred(CircuitBreakerOperator.of(circuitBreaker))
                    .onErrorMap(e -> !(e instanceof DownloadRefused), e -> {
                        // The class only: a send failure's message may quote the record, whose key is the hash.
                        log.warn(
                                "Redemption of {}... got no answer: {}",
                                request.token().hashPrefix(),
                                e.getClass().getSimpleName());
                        sample.stop(timer(isTimeout(e) ? "timeout" : "error"));
                        return DownloadRefused.of(PublicError.TOKEN_SERVICE_UNAVAILABLE)
                                .retryAfter(retryAfter);
                    })
                    .flatMap(reply -> {
                        if (reply instanceof DownloadGranted granted) {
                            sample.stop(timer("granted"));
                            grants.remember(granted);
                            log.info(
                                    "Redeemed {}... grant {} ({} items, reused={})",
                                    request.token().hashPrefix(),
                                    granted.grantId(),
                                    granted.items().size(),
                                    granted.reused());
                            return Mono.just(granted);
                        }
                        DownloadDenied denied = (DownloadDenied) reply;
                        PublicError error = PublicError.fromCode(denied.reason());
                        sample.stop(timer("denied"));
                        log.info(
                                "Redemption of {}... denied: {}",
                                request.token().hashPrefix(),
                                error.code());
                        return Mono.error(DownloadRefused.of(error, denied.detail()));
                    });
        });
    }

    private Mono<Event> roundTrip(RedeemRequest request) {
        return Mono.defer(() -> {
            UUID requestId = UUID.randomUUID();
            Mono<Event> reply = pending.await(requestId);
            Instant now = clock.instant();
            DownloadRequested event = new DownloadRequested(
                    requestId,
                    request.token().hash(),
                    request.platform(),
                    request.email(),
                    request.clientIp(),
                    request.userAgent(),
                    instance.id(),
                    now,
                    now.plus(timeout));
            return publisher.publish(event).then(reply).timeout(timeout).doFinally(signal -> pending.forget(requestId));
        });
    }

    private static boolean isTimeout(Throwable e) {
        return e instanceof TimeoutException;
    }

    private Timer timer(String outcome) {
        return Timer.builder("drawbridge.redemption")
                .description("Round trip of a redemption request to token-service and back, or until it timed out")
                .tag("outcome", outcome)
                .publishPercentileHistogram()
                .register(meters);
    }
}
