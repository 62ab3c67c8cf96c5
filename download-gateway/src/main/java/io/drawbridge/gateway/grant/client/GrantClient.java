package io.drawbridge.gateway.grant.client;

import io.drawbridge.gateway.config.GatewayProperties;
import io.drawbridge.gateway.web.DownloadRefused;
import io.drawbridge.gateway.web.PublicError;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.reactor.circuitbreaker.operator.CircuitBreakerOperator;
import java.time.Duration;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;

/** Asks token-service about a grant before every download response, behind a timeout and a circuit breaker. */
@Component
public class GrantClient {

    private static final Logger log = LoggerFactory.getLogger(GrantClient.class);

    private final WebClient tokenService;
    private final CircuitBreaker circuitBreaker;
    private final Duration timeout;
    private final Duration retryAfter;

    GrantClient(WebClient tokenServiceClient, CircuitBreakerRegistry circuitBreakers, GatewayProperties properties) {
        this.tokenService = tokenServiceClient;
        this.circuitBreaker = circuitBreakers.circuitBreaker("token-service-http");
        this.timeout = properties.tokenService().timeout();
        this.retryAfter = properties.retryAfter();
    }

    /** The grant; empty if token-service does not know it; a 503 refusal if it cannot be asked. */
    public Mono<GrantView> find(UUID grantId) {
        return tokenService
                .get()
                .uri("/internal/v1/grants/{grantId}", grantId)
                .exchangeToMono(response -> {
                    if (response.statusCode().is2xxSuccessful()) {
                        return response.bodyToMono(GrantView.class);
                    }
                    if (response.statusCode().value() == 404) {
                        return response.releaseBody().then(Mono.empty());
                    }
                    return response.createError();
                })
                .transform(call -> guarded(call, grantId));
    }

    /**
     * Has a grant that gave its use back (an interrupted download) take a use again before it is resumed: the grant
     * as it stands then, or a {@code usage_limit_exceeded} refusal when the link has no use left for it.
     */
    public Mono<GrantView> holdUse(UUID grantId) {
        return tokenService
                .post()
                .uri("/internal/v1/grants/{grantId}/use", grantId)
                .exchangeToMono(response -> {
                    if (response.statusCode().is2xxSuccessful()) {
                        return response.bodyToMono(GrantView.class);
                    }
                    if (response.statusCode().value() == 409) {
                        return response.releaseBody()
                                .then(Mono.error(DownloadRefused.of(
                                        PublicError.USAGE_LIMIT_EXCEEDED,
                                        "This download was interrupted, and the link's downloads have been used"
                                                + " since. It cannot be resumed.")));
                    }
                    if (response.statusCode().value() == 404) {
                        return response.releaseBody().then(Mono.error(DownloadRefused.of(PublicError.INVALID_TOKEN)));
                    }
                    return response.createError();
                })
                .transform(call -> guarded(call, grantId));
    }

    private Mono<GrantView> guarded(Mono<GrantView> call, UUID grantId) {
        return call.timeout(timeout)
                .transformDeferred(CircuitBreakerOperator.of(circuitBreaker))
                .onErrorMap(e -> !(e instanceof DownloadRefused), e -> {
                    log.warn("Grant {} look-up failed: {}", grantId, e.toString());
                    return DownloadRefused.of(PublicError.TOKEN_SERVICE_UNAVAILABLE)
                            .retryAfter(retryAfter);
                });
    }
}
