package io.drawbridge.gateway.web;

import io.drawbridge.gateway.config.GatewayProperties;
import java.time.Duration;
import java.util.List;
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
 * Grant downloads ({@code /dl/*}, {@code /s/dl/*}) are not limited here: they are signed, and download managers
 * legitimately open many ranged connections. One-time shares: creating one takes one of the address's uploads and
 * one token per MiB of its body from a second bucket; reading (and password tries) draws on its own bucket; a share's
 * page on the page views' bucket.
 *
 * <p>The bucket is chosen from the route the request will be dispatched to (the handler mapping's own match), never
 * from the raw path: routing decodes percent-encodings and drops {@code ;params}, so {@code /%64/{token}} or {@code
 * /api/v1/downloads;x} reach the same controllers and must draw on the same buckets.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 10)
class RateLimitFilter implements WebFilter {

    private static final long MEBIBYTE = 1024 * 1024;

    private final ClientRateLimiter pages;
    private final ClientRateLimiter redemptions;
    private final ClientRateLimiter shareUploads;
    private final ClientRateLimiter shareUploadMebibytes;
    private final ClientRateLimiter shareReads;
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
        this.shareUploads = limiter(config.shareUploads(), config.maxClients());
        this.shareUploadMebibytes = limiter(config.shareUploadMebibytes(), config.maxClients());
        this.shareReads = limiter(config.shareReads(), config.maxClients());
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
                .map(route -> isShareUpload(exchange.getRequest().getMethod(), route)
                        ? List.of(
                                new Charge(shareUploads, 1),
                                new Charge(shareUploadMebibytes, mebibytes(exchange.getRequest())))
                        : bucketFor(exchange.getRequest().getMethod(), route)
                                .map(limiter -> List.of(new Charge(limiter, 1)))
                                .orElse(List.of()))
                .defaultIfEmpty(List.of())
                .flatMap(charges -> limit(charges, exchange, chain));
    }

    /** Permits taken from one bucket. */
    private record Charge(ClientRateLimiter limiter, int permits) {}

    /** A share's upload: one of the address's uploads, and one token per started MiB of its body. */
    static boolean isShareUpload(HttpMethod method, String route) {
        return HttpMethod.POST.equals(method) && ("/share".equals(route) || "/api/v1/shares".equals(route));
    }

    /** Started MiB of the body; a body of unknown length (chunked) as large as it may be (the whole bucket). */
    private static int mebibytes(ServerHttpRequest request) {
        long length = request.getHeaders().getContentLength();
        return length < 0 ? Integer.MAX_VALUE : (int) Math.min(Integer.MAX_VALUE, (length + MEBIBYTE - 1) / MEBIBYTE);
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

    private Mono<Void> limit(List<Charge> charges, ServerWebExchange exchange, WebFilterChain chain) {
        if (charges.isEmpty()) {
            return chain.filter(exchange);
        }
        String client = addresses.of(exchange.getRequest());
        Optional<Duration> wait = Optional.empty();
        for (Charge charge : charges) {
            wait = charge.limiter().tryAcquire(client, charge.permits());
            if (wait.isPresent()) {
                break;
            }
        }
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
            case "/s/{token}" ->
                Optional.of(HttpMethod.GET.equals(method) || HttpMethod.HEAD.equals(method) ? pages : shareReads);
            case "/api/v1/shares/{token}" -> Optional.of(pages);
            case "/api/v1/shares/read" -> Optional.of(shareReads);
            default -> Optional.empty();
        };
    }
}
