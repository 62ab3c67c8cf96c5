package io.drawbridge.gateway.web;

import io.drawbridge.gateway.config.GatewayProperties;
import java.time.Duration;
import java.util.Optional;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Limits how fast one client address may hit the link endpoints (landing page, redeem, JSON API): 429
 * {@code rate_limited} with {@code Retry-After}. Grant downloads ({@code /dl/*}) are not limited here: they are
 * signed, and download managers legitimately open many ranged connections.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 10)
class RateLimitFilter implements WebFilter {

    private final ClientRateLimiter limiter;
    private final ClientAddresses addresses;
    private final RefusalResponses refusals;
    private final boolean enabled;

    RateLimitFilter(GatewayProperties properties, ClientAddresses addresses, RefusalResponses refusals) {
        GatewayProperties.RateLimit config = properties.rateLimit();
        this.limiter =
                new ClientRateLimiter(config.capacity(), config.refillPeriod(), config.maxClients(), System::nanoTime);
        this.addresses = addresses;
        this.refusals = refusals;
        this.enabled = config.enabled();
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        if (!enabled
                || !limited(
                        exchange.getRequest().getPath().pathWithinApplication().value())) {
            return chain.filter(exchange);
        }
        Optional<Duration> wait = limiter.tryAcquire(addresses.of(exchange.getRequest()));
        if (wait.isEmpty()) {
            return chain.filter(exchange);
        }
        Duration retryAfter = Duration.ofSeconds(Math.max(1, (wait.get().toMillis() + 999) / 1000));
        return refusals.write(
                exchange, DownloadRefused.of(PublicError.RATE_LIMITED).retryAfter(retryAfter));
    }

    static boolean limited(String path) {
        return path.startsWith("/d/") || path.equals("/api/v1/downloads");
    }
}
