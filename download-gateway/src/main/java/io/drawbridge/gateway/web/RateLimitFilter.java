package io.drawbridge.gateway.web;

import io.drawbridge.gateway.config.GatewayProperties;
import java.time.Duration;
import java.util.Optional;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.HandlerMapping;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import org.springframework.web.util.pattern.PathPattern;
import reactor.core.publisher.Mono;

/**
 * Limits how fast one client address may hit the link endpoints: 429 {@code rate_limited} with {@code Retry-After}.
 * Page views ({@code GET}/{@code HEAD /d/{token}}) and redeems ({@code POST /d/{token}}, {@code POST
 * /api/v1/downloads}) draw on separate buckets, so that a scanner or a reload never eats the redeem that follows.
 * Grant downloads ({@code /dl/*}) are not limited here: they are signed, and download managers legitimately open many
 * ranged connections.
 *
 * <p>The bucket is chosen from the route the request will be dispatched to (the handler mapping's own match), never
 * from the raw path: routing decodes percent-encodings and drops {@code ;params}, so {@code /%64/{token}} or {@code
 * /api/v1/downloads;x} reach the same controllers and must draw on the same buckets.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 10)
class RateLimitFilter implements WebFilter {

    private final ClientRateLimiter pages;
    private final ClientRateLimiter redemptions;
    private final ClientAddresses addresses;
    private final RefusalResponses refusals;
    private final boolean enabled;
    private final HandlerMapping routes;

    RateLimitFilter(
            GatewayProperties properties,
            ClientAddresses addresses,
            RefusalResponses refusals,
            @Qualifier("requestMappingHandlerMapping") HandlerMapping routes) {
        GatewayProperties.RateLimit config = properties.rateLimit();
        this.pages = limiter(config.pages(), config.maxClients());
        this.redemptions = limiter(config.redemptions(), config.maxClients());
        this.addresses = addresses;
        this.refusals = refusals;
        this.enabled = config.enabled();
        this.routes = routes;
    }

    private static ClientRateLimiter limiter(GatewayProperties.Bucket bucket, int maxClients) {
        return new ClientRateLimiter(bucket.capacity(), bucket.refillPeriod(), maxClients, System::nanoTime);
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        if (!enabled) {
            return chain.filter(exchange);
        }
        return matchedRoute(exchange)
                .map(route -> bucketFor(exchange.getRequest().getMethod(), route))
                .defaultIfEmpty(Optional.empty())
                .flatMap(limiter -> limiter.isEmpty() ? chain.filter(exchange) : limit(limiter.get(), exchange, chain));
    }

    /**
     * The pattern of the route this request matches, as the dispatcher will match it. A request no route takes (or
     * one the route refuses before its handler runs, such as a wrong content type) has none: it never reaches a
     * controller, so it costs nothing to limit.
     */
    private Mono<String> matchedRoute(ServerWebExchange exchange) {
        return routes.getHandler(exchange)
                .mapNotNull(handler -> exchange.getAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE))
                .map(pattern -> pattern instanceof PathPattern parsed ? parsed.getPatternString() : pattern.toString())
                .onErrorResume(ResponseStatusException.class, refused -> Mono.empty());
    }

    private Mono<Void> limit(ClientRateLimiter limiter, ServerWebExchange exchange, WebFilterChain chain) {
        ServerHttpRequest request = exchange.getRequest();
        Optional<Duration> wait = limiter.tryAcquire(addresses.of(request));
        if (wait.isEmpty()) {
            return chain.filter(exchange);
        }
        Duration retryAfter = Duration.ofSeconds(Math.max(1, (wait.get().toMillis() + 999) / 1000));
        return refusals.write(
                exchange, DownloadRefused.of(PublicError.RATE_LIMITED).retryAfter(retryAfter));
    }

    /** The bucket a request to a route draws on, if any: views and redeems of a link are limited apart. */
    Optional<ClientRateLimiter> bucketFor(HttpMethod method, String route) {
        return switch (route) {
            case "/api/v1/downloads" -> Optional.of(redemptions);
            case "/d/{token}" ->
                Optional.of(HttpMethod.GET.equals(method) || HttpMethod.HEAD.equals(method) ? pages : redemptions);
            default -> Optional.empty();
        };
    }
}
