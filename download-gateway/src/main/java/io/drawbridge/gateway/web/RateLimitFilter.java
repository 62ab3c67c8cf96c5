package io.drawbridge.gateway.web;

import io.drawbridge.gateway.config.GatewayProperties;
import java.time.Duration;
import java.util.Optional;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Limits how fast one client address may hit the link endpoints: 429 {@code rate_limited} with {@code Retry-After}.
 * Page views ({@code GET}/{@code HEAD /d/*}) and redeems ({@code POST /d/*}, {@code POST /api/v1/downloads}) draw on
 * separate buckets, so that a scanner or a reload never eats the redeem that follows. Grant downloads ({@code /dl/*})
 * are not limited here: they are signed, and download managers legitimately open many ranged connections.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 10)
class RateLimitFilter implements WebFilter {

    private final ClientRateLimiter pages;
    private final ClientRateLimiter redemptions;
    private final ClientAddresses addresses;
    private final RefusalResponses refusals;
    private final boolean enabled;

    RateLimitFilter(GatewayProperties properties, ClientAddresses addresses, RefusalResponses refusals) {
        GatewayProperties.RateLimit config = properties.rateLimit();
        this.pages = limiter(config.pages(), config.maxClients());
        this.redemptions = limiter(config.redemptions(), config.maxClients());
        this.addresses = addresses;
        this.refusals = refusals;
        this.enabled = config.enabled();
    }

    private static ClientRateLimiter limiter(GatewayProperties.Bucket bucket, int maxClients) {
        return new ClientRateLimiter(bucket.capacity(), bucket.refillPeriod(), maxClients, System::nanoTime);
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        ServerHttpRequest request = exchange.getRequest();
        Optional<ClientRateLimiter> limiter = enabled
                ? bucketFor(
                        request.getMethod(),
                        request.getPath().pathWithinApplication().value())
                : Optional.empty();
        if (limiter.isEmpty()) {
            return chain.filter(exchange);
        }
        Optional<Duration> wait = limiter.get().tryAcquire(addresses.of(request));
        if (wait.isEmpty()) {
            return chain.filter(exchange);
        }
        Duration retryAfter = Duration.ofSeconds(Math.max(1, (wait.get().toMillis() + 999) / 1000));
        return refusals.write(
                exchange, DownloadRefused.of(PublicError.RATE_LIMITED).retryAfter(retryAfter));
    }

    /** The bucket a request draws on, if any: views and redeems of a link are limited apart. */
    Optional<ClientRateLimiter> bucketFor(HttpMethod method, String path) {
        if (path.equals("/api/v1/downloads")) {
            return Optional.of(redemptions);
        }
        if (!path.startsWith("/d/")) {
            return Optional.empty();
        }
        return Optional.of(HttpMethod.GET.equals(method) || HttpMethod.HEAD.equals(method) ? pages : redemptions);
    }
}
