package io.drawbridge.gateway.landing;

import io.drawbridge.events.http.LandingPageView;
import io.drawbridge.gateway.config.GatewayProperties;
import io.drawbridge.gateway.web.DownloadRefused;
import io.drawbridge.gateway.web.PublicError;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.reactor.circuitbreaker.operator.CircuitBreakerOperator;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientResponseException;
import reactor.core.publisher.Mono;

/**
 * Reads a link's details from token-service for the landing page. A read, never a redemption: mail scanners
 * and chat unfurlers open links, and opening must not use one up.
 */
@Component
class TokenDetailsClient {

    private static final Logger log = LoggerFactory.getLogger(TokenDetailsClient.class);

    private final WebClient tokenService;
    private final CircuitBreaker circuitBreaker;
    private final Duration timeout;
    private final Duration retryAfter;

    TokenDetailsClient(
            WebClient tokenServiceClient, CircuitBreakerRegistry circuitBreakers, GatewayProperties properties) {
        this.tokenService = tokenServiceClient;
        this.circuitBreaker = circuitBreakers.circuitBreaker("token-service-http");
        this.timeout = properties.tokenService().timeout();
        this.retryAfter = properties.retryAfter();
    }

    static String describe(Throwable e) {
        if (e instanceof WebClientResponseException response) {
            return "HTTP " + response.getStatusCode().value();
        }
        return e.getClass().getSimpleName();
    }

    /** The link's details; empty when token-service does not know the hash. */
    Mono<LandingPageView> byHash(String tokenHash) {
        return tokenService
                .get()
                .uri("/internal/v1/tokens/by-hash/{tokenHash}", tokenHash)
                .exchangeToMono(response -> {
                    if (response.statusCode().is2xxSuccessful()) {
                        return response.bodyToMono(LandingPageView.class);
                    }
                    if (response.statusCode().value() == HttpStatus.NOT_FOUND.value()) {
                        return response.releaseBody().then(Mono.empty());
                    }
                    return response.createError();
                })
                .timeout(timeout)
                .transformDeferred(CircuitBreakerOperator.of(circuitBreaker))
                .onErrorMap(e -> !(e instanceof DownloadRefused), e -> {
                    // Not e.toString(): a response exception's message carries the URL, with the whole hash.
                    log.warn("Token details for {}... unavailable: {}", tokenHash.substring(0, 8), describe(e));
                    return DownloadRefused.of(PublicError.TOKEN_SERVICE_UNAVAILABLE)
                            .retryAfter(retryAfter);
                });
    }
}
